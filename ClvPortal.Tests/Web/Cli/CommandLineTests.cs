using ClvPortal.Web.Cli;

namespace ClvPortal.Tests.Web.Cli;

[Trait("Category", "Unit")]
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("bench")]
    [InlineData("generate")]
    [InlineData("analyse")]
    public void UnknownCommand_IsNotTakenForTheWebApp_AndTheMessageSaysWhereBenchmarksWent(string name)
    {
        string[] args = [name, "--csv", "1M"];

        Assert.False(CommandLine.IsCommand(args));
        Assert.True(CommandLine.IsUnknownCommand(args));
        var message = CommandLine.UnknownCommand(name);
        Assert.StartsWith($"Unknown command '{name}'.", message);
        Assert.Contains("analyze", message);
        Assert.Contains("--project ClvPortal.Bench", message);
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:5000")]
    [InlineData("urls=http://127.0.0.1:5000")]
    [InlineData("--Portal:Roles=worker")]
    public void HostSettings_StartTheWebApp(params string[] args)
    {
        Assert.False(CommandLine.IsCommand(args));
        Assert.False(CommandLine.IsUnknownCommand(args));
    }

    [Fact]
    public void NoArguments_StartTheWebApp() => Assert.False(CommandLine.IsUnknownCommand([]));
}
