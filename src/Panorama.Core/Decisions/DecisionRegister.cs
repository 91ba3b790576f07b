using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Decisions;

/// <summary>Where decisions' metrics come from: one value per day of a site's metric (with filters) from the analytics.</summary>
public interface IDailyMetricSource
{
    Task<IReadOnlyList<double>> DailyAsync(int siteId, string metric, string? filtersJson, DateOnly first, DateOnly last, CancellationToken cancellationToken);

    /// <summary>Where a decision's days are counted: the site's time zone, or the department's for a decision about no site.</summary>
    TimeZoneInfo ZoneOf(int? siteId);
}

/// <summary>
/// The register of decisions and its workflow: draft → under review → approved / rejected → implemented → evaluated.
/// Important and strategic decisions need the head of marketing (the owner account); every change is kept as a revision.
/// </summary>
public sealed class DecisionRegister(IDbContextFactory<PanoramaDbContext> databases, IDailyMetricSource analytics, TimeProvider time)
{
    /// <summary>Days in the baseline window before a proposal, and in each of the before/after windows of an evaluation.</summary>
    public const int BaselineDays = 28;
    public const int DefaultWindowDays = 14;

    public sealed class WorkflowException(string message) : Exception(message);

    /// <summary>
    /// Today in the time zone of the days a decision is measured in. A baseline ends yesterday there and an after window must
    /// be over there, or a site east of UTC would have its last day measured before it ends.
    /// </summary>
    public DateOnly TodayFor(Decision decision) => TodayIn(decision.SiteId);

    DateOnly TodayIn(int? siteId) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), analytics.ZoneOf(siteId)).DateTime);

    public IReadOnlyList<Decision> All()
    {
        using var db = databases.CreateDbContext();
        return db.Decisions.AsNoTracking().AsEnumerable().OrderByDescending(d => d.CreatedAt).ToList();
    }

    public Decision? Find(int id)
    {
        using var db = databases.CreateDbContext();
        return db.Decisions.AsNoTracking().FirstOrDefault(d => d.Id == id);
    }

    public IReadOnlyList<DecisionRevision> History(int id)
    {
        using var db = databases.CreateDbContext();
        return db.DecisionRevisions.AsNoTracking().Where(r => r.DecisionId == id).OrderByDescending(r => r.Revision).ToList();
    }

    /// <summary>Records a proposal as a draft, capturing each metric's baseline (daily mean over the last four weeks).</summary>
    public async Task<Decision> ProposeAsync(Decision decision, IReadOnlyList<DecisionMetric> metrics, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(decision.Title)) throw new WorkflowException("A decision needs a title.");
        var withBaselines = new List<DecisionMetric>();
        foreach (var metric in metrics)
        {
            decimal? baseline = null;
            if (decision.SiteId is { } siteId)
            {
                var today = TodayIn(siteId);
                var daily = await analytics.DailyAsync(siteId, metric.Metric, metric.FiltersJson, today.AddDays(-BaselineDays), today.AddDays(-1), cancellationToken);
                baseline = daily.Count == 0 ? 0 : Math.Round((decimal)daily.Average(), 4);
                // A control segment that cannot be measured is refused now, not discovered at evaluation.
                if (metric.ControlFiltersJson is { } control) await analytics.DailyAsync(siteId, metric.Metric, control, today.AddDays(-1), today.AddDays(-1), cancellationToken);
            }
            withBaselines.Add(metric with { Baseline = baseline });
        }
        decision.MetricsJson = JsonSerializer.Serialize(withBaselines);
        decision.Status = decision.WithoutMarketing ? DecisionStatus.Approved : DecisionStatus.Draft;
        decision.CreatedAt = time.GetUtcNow();
        if (decision.WithoutMarketing)
        {
            decision.DecidedAt = decision.CreatedAt;
            decision.DecisionNote = "Taken without marketing's participation; marketing carries no responsibility for it.";
        }
        using var db = databases.CreateDbContext();
        db.Decisions.Add(decision);
        db.SaveChanges();
        Snapshot(db, decision, decision.ProposedBy, decision.WithoutMarketing ? "recorded as taken without marketing" : "proposed");
        return decision;
    }

    public Decision Submit(int id, string by) => Change(id, by, "submitted for review", decision =>
    {
        Require(decision, DecisionStatus.Draft);
        decision.Status = DecisionStatus.UnderReview;
    });

    /// <summary>Approves or rejects; important and strategic decisions only by the head of marketing.</summary>
    public Decision Decide(int id, bool approve, string by, bool isHead, string note) => Change(id, by, approve ? "approved" : "rejected", decision =>
    {
        Require(decision, DecisionStatus.UnderReview);
        if (decision.NeedsHeadApproval && !isHead)
            throw new WorkflowException($"This {decision.Importance.ToString().ToLowerInvariant()} decision needs the approval of the head of internet marketing.");
        decision.Status = approve ? DecisionStatus.Approved : DecisionStatus.Rejected;
        decision.DecidedBy = by;
        decision.DecidedAt = time.GetUtcNow();
        decision.DecisionNote = note.Trim();
    });

    public Decision Implement(int id, DateOnly on, string by) => Change(id, by, $"implemented on {on:yyyy-MM-dd}", decision =>
    {
        Require(decision, DecisionStatus.Approved);
        if (on > TodayFor(decision)) throw new WorkflowException("The implementation date cannot be in the future.");
        decision.Status = DecisionStatus.Implemented;
        decision.ImplementedOn = on;
    });

    /// <summary>Measures each metric over equal windows before and after the implementation date.</summary>
    public async Task<Decision> EvaluateAsync(int id, string by, int windowDays, CancellationToken cancellationToken)
    {
        var decision = Find(id) ?? throw new WorkflowException($"Decision {id} does not exist.");
        Require(decision, DecisionStatus.Implemented);
        if (windowDays is < 2 or > 365) throw new WorkflowException("Windows are 2 to 365 days.");
        var on = decision.ImplementedOn!.Value;
        if (on.AddDays(windowDays - 1) >= TodayFor(decision))
            throw new WorkflowException($"The after window ends on {on.AddDays(windowDays - 1):yyyy-MM-dd}: evaluate after that day.");
        if (decision.SiteId is not { } siteId) throw new WorkflowException("The decision names no site to measure.");
        var outcomes = new List<MetricOutcome>();
        foreach (var metric in JsonSerializer.Deserialize<List<DecisionMetric>>(decision.MetricsJson) ?? [])
        {
            var before = await analytics.DailyAsync(siteId, metric.Metric, metric.FiltersJson, on.AddDays(-windowDays), on.AddDays(-1), cancellationToken);
            var after = await analytics.DailyAsync(siteId, metric.Metric, metric.FiltersJson, on, on.AddDays(windowDays - 1), cancellationToken);
            var outcome = BeforeAfter.Compare(metric.Metric, metric.FiltersJson, before, after);
            if (metric.ControlFiltersJson is { } control)
            {
                var controlBefore = await analytics.DailyAsync(siteId, metric.Metric, control, on.AddDays(-windowDays), on.AddDays(-1), cancellationToken);
                var controlAfter = await analytics.DailyAsync(siteId, metric.Metric, control, on, on.AddDays(windowDays - 1), cancellationToken);
                outcome = outcome with { Controlled = BeforeAfter.Controlled(control, before, after, controlBefore, controlAfter) };
            }
            outcomes.Add(outcome);
        }
        return Change(id, by, $"evaluated over {windowDays}-day windows", d =>
        {
            Require(d, DecisionStatus.Implemented);
            d.Status = DecisionStatus.Evaluated;
            d.OutcomeJson = JsonSerializer.Serialize(outcomes);
        });
    }

    /// <summary>Per quarter of decision, the share of decisions taken with marketing participating (P1).</summary>
    public IReadOnlyList<(string Quarter, int Total, int WithMarketing)> ParticipationByQuarter()
    {
        return All().Where(d => d.DecidedAt is not null && d.Status != DecisionStatus.Rejected)
            .GroupBy(d => $"{d.DecidedAt!.Value.Year} Q{(d.DecidedAt.Value.Month - 1) / 3 + 1}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Count(d => !d.WithoutMarketing))).ToList();
    }

    static void Require(Decision decision, DecisionStatus status)
    {
        if (decision.Status != status)
            throw new WorkflowException($"The decision is {decision.Status}; this step needs it {status}.");
    }

    Decision Change(int id, string by, string note, Action<Decision> apply)
    {
        using var db = databases.CreateDbContext();
        var decision = db.Decisions.FirstOrDefault(d => d.Id == id) ?? throw new WorkflowException($"Decision {id} does not exist.");
        apply(decision);
        decision.Revision++;
        db.SaveChanges();
        Snapshot(db, decision, by, note);
        return decision;
    }

    void Snapshot(PanoramaDbContext db, Decision decision, string by, string note)
    {
        db.DecisionRevisions.Add(new DecisionRevision
        {
            DecisionId = decision.Id, Revision = decision.Revision, Snapshot = JsonSerializer.Serialize(decision), ChangedBy = by,
            ChangedAt = time.GetUtcNow(), Note = note,
        });
        db.SaveChanges();
    }
}
