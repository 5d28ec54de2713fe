namespace ClvPortal.Core.Pipeline;

/// <summary>The stages a job shows the user, in order.</summary>
public enum PipelineStage
{
    Reading,
    Cleaning,
    Features,
    Models,
    Aggregates,
    Done,
}

/// <summary>Progress reported while the pipeline runs; <see cref="Percent"/> covers the whole run, 0 to 100.</summary>
public readonly record struct PipelineProgress(PipelineStage Stage, double Percent, string? Detail = null);
