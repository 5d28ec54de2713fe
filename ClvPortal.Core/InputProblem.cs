namespace ClvPortal.Core;

/// <summary>
/// A problem with what the user gave us, worded for a business user: what is wrong, and what to do
/// about it. Errors a user can cause travel as this value, never as a stack trace.
/// </summary>
/// <param name="Message">What is wrong, naming the file, column, row or setting involved.</param>
/// <param name="WhatToDo">The action that fixes it ("Save the workbook as .xlsx or .csv and upload it again.").</param>
public sealed record InputProblem(string Message, string WhatToDo)
{
    public override string ToString() => $"{Message} {WhatToDo}";
}

/// <summary>
/// Carries an <see cref="InputProblem"/> out of deep reading code (a damaged zip found on row 900,000)
/// to the pipeline boundary, where it becomes a value again. Never let it escape Core's public entry points.
/// </summary>
public sealed class InputProblemException(InputProblem problem) : Exception(problem.ToString())
{
    public InputProblem Problem { get; } = problem;
}
