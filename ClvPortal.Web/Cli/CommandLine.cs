namespace ClvPortal.Web.Cli;

/// <summary>
/// Commands that run the pipeline (or an operator's task) without any server: <c>dotnet run --project ClvPortal.Web -- &lt;command&gt; ...</c>.
/// Anything else starts the web app. Benchmarks and the file generator are developers' tools: ClvPortal.Bench.
/// </summary>
public static class CommandLine
{
    // One line per command; each command lives in its own file in this folder.
    private static readonly Dictionary<string, (string Help, Func<string[], TextWriter, TextWriter, Task<int>> Run)> Commands =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["analyze"] = (AnalyzeCommand.Help, AnalyzeCommand.RunAsync),
            ["train-model"] = (TrainModelCommand.Help, TrainModelCommand.RunAsync),
            ["grant-admin"] = (AdminCommand.GrantHelp, AdminCommand.RunGrantAsync),
            ["revoke-admin"] = (AdminCommand.RevokeHelp, AdminCommand.RunRevokeAsync),
        };

    /// <summary>
    /// <c>dotnet run --project ClvPortal.Web</c> starts a web project in its own folder. A command's
    /// relative paths (<c>analyze orders.csv --out results</c>) mean the folder the user typed it in,
    /// which the shell still names in PWD; go back there. Without PWD (Windows) nothing changes.
    /// </summary>
    public static void UseInvokingDirectory()
    {
        var invokedFrom = Environment.GetEnvironmentVariable("PWD");
        if (!string.IsNullOrEmpty(invokedFrom) && Directory.Exists(invokedFrom))
        {
            Directory.SetCurrentDirectory(invokedFrom);
        }
    }

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.ContainsKey(args[0]);

    /// <summary>
    /// A first argument that names no command and is no host setting (<c>--urls ...</c>, <c>urls=...</c>): a typo, or a
    /// developer's tool run from the wrong project. It must not start the web app instead.
    /// </summary>
    public static bool IsUnknownCommand(string[] args) =>
        args.Length > 0 && !IsCommand(args) && !args[0].StartsWith('-') && !args[0].Contains('=');

    /// <summary>What to tell someone who typed an unknown command: the commands there are, and where the others went.</summary>
    public static string UnknownCommand(string name) =>
        $"Unknown command '{name}'.\n{Usage()}\n" +
        "Benchmarks, the load test and generate are developers' tools in their own project: dotnet run -c Release --project ClvPortal.Bench -- <command>.";

    /// <summary>Runs the command named by <paramref name="args"/>[0] and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        Commands[args[0]].Run(args[1..], stdout, stderr);

    public static string Usage() =>
        "Commands:\n" + string.Join('\n', Commands.Select(c => $"  {c.Key,-12} {c.Value.Help}"));
}
