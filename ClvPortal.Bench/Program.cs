namespace ClvPortal.Bench;

/// <summary>
/// Benchmarks, the load test and the synthetic file generator: <c>dotnet run -c Release --project ClvPortal.Bench -- &lt;command&gt; ...</c>.
/// None of it ships with the portal; the portal's own commands (analyze, train-model, grant-admin, revoke-admin) stay in ClvPortal.Web.
/// </summary>
public static class BenchProgram
{
    // One line per command; each command lives in its own file in this folder.
    private static readonly Dictionary<string, (string Help, Func<string[], TextWriter, TextWriter, Task<int>> Run)> Commands =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["bench"] = (BenchCommand.Help, BenchCommand.RunAsync),
            ["bench-models"] = (BenchModelsCommand.Help, BenchModelsCommand.RunAsync),
            ["bench-prob"] = (BenchProbCommand.Help, BenchProbCommand.RunAsync),
            ["bench-concurrent"] = (BenchConcurrentCommand.Help, BenchConcurrentCommand.RunAsync),
            ["bench-upload"] = (BenchUploadCommand.Help, BenchUploadCommand.RunAsync),
            ["bench-results"] = (BenchResultsCommand.Help, BenchResultsCommand.RunAsync),
            ["bench-load"] = (BenchLoadCommand.Help, BenchLoadCommand.RunAsync),
            ["generate"] = (GenerateCommand.Help, GenerateCommand.RunAsync),
        };

    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs the command named by <paramref name="args"/>[0] and returns the process exit code: 2 with the list of commands when there is none.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var command))
        {
            stderr.WriteLine(args.Length == 0 ? "Name a command." : $"\"{args[0]}\" is not a command.");
            stderr.WriteLine(Usage());
            return Task.FromResult(2);
        }

        return command.Run(args[1..], stdout, stderr);
    }

    public static string Usage() =>
        "Commands:\n" + string.Join('\n', Commands.Select(c => $"  {c.Key,-16} {c.Value.Help}"));
}
