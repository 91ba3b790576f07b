namespace Panorama.Core.Decisions;

public enum Importance { Routine, Important, Strategic }

public enum DecisionStatus { Draft, UnderReview, Approved, Rejected, Implemented, Evaluated }

/// <summary>
/// A decision with its analysis (P2): what is proposed, the benefits expected, the consequences and risks, the cost,
/// and the metrics it should move (with a baseline captured from the analytics when proposed). Once decided it is
/// not edited in place: every change after that is a new revision in <see cref="DecisionRevision"/>.
/// </summary>
public sealed class Decision
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public string Area { get; set; } = "";
    public Importance Importance { get; set; }
    public required string ProposedBy { get; set; }
    public string Options { get; set; } = "";
    public string ExpectedBenefits { get; set; } = "";
    public string ConsequencesAndRisks { get; set; } = "";
    public decimal? Cost { get; set; }

    /// <summary>The site whose analytics the metrics come from.</summary>
    public int? SiteId { get; set; }

    /// <summary>The metrics it should move, as JSON (<see cref="DecisionMetric"/> list), with their baselines once proposed.</summary>
    public string MetricsJson { get; set; } = "[]";

    public DecisionStatus Status { get; set; }

    /// <summary>Taken without marketing's participation: marked for good, and marketing carries no responsibility for it.</summary>
    public bool WithoutMarketing { get; set; }

    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string DecisionNote { get; set; } = "";
    public DateOnly? ImplementedOn { get; set; }

    /// <summary>The measured outcome as JSON (<see cref="MetricOutcome"/> list), once evaluated.</summary>
    public string? OutcomeJson { get; set; }

    public int Revision { get; set; } = 1;
    public DateTimeOffset CreatedAt { get; set; }

    public bool NeedsHeadApproval => Importance != Importance.Routine;
}

/// <summary>A metric a decision should move: a Stats API metric and filters, the expected direction and size, and its baseline.</summary>
/// <remarks><see cref="ControlFiltersJson"/> names a comparable segment the decision does not touch (visitors from other countries,
/// another channel): with it the outcome also gives the difference-in-differences, which takes out what moved both.</remarks>
public sealed record DecisionMetric(string Metric, string? FiltersJson, string Direction, decimal? ExpectedChangePercent, decimal? Baseline = null,
    string? ControlFiltersJson = null);

/// <summary>Before and after: daily means over equal windows, the change and its 95% interval, and whether it is within noise.</summary>
public sealed record MetricOutcome(string Metric, string? FiltersJson, int Days, decimal BeforeMean, decimal AfterMean, decimal Change,
    decimal? ChangePercent, decimal IntervalLow, decimal IntervalHigh, bool WithinNoise, DiffInDiff? Controlled = null);

/// <summary>The segment's change less the control segment's change over the same windows, with its 95% interval.</summary>
public sealed record DiffInDiff(string ControlFiltersJson, decimal ControlChange, decimal Estimate, decimal IntervalLow, decimal IntervalHigh, bool WithinNoise);

/// <summary>A snapshot of a decision after each change: the history that shows it was never rewritten.</summary>
public sealed class DecisionRevision
{
    public int Id { get; set; }
    public int DecisionId { get; set; }
    public int Revision { get; set; }
    public required string Snapshot { get; set; }
    public required string ChangedBy { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public string Note { get; set; } = "";
}
