using System.Globalization;
using System.Text.Json.Nodes;
using Panorama.Core.EmailReports;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Email;

/// <summary>Computes what the emails show through the same Stats API queries the dashboard runs, so the numbers match it.</summary>
public sealed class SiteReports(QueryService queries, IQueryEngine engine, GoalService goals, EventBatchWriter writer, TimeProvider time)
{
    public const int TopRows = 5;

    public static readonly string[] TotalMetrics = ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration"];

    public async Task<SiteReport> ReportAsync(Site site, ReportPeriod period, CancellationToken cancellationToken)
    {
        await writer.WaitUntilStoredAsync(cancellationToken);
        var siteGoals = goals.ForSite(site.Id);
        var range = new JsonArray(period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var totals = await RunAsync(site, siteGoals, range, TotalMetrics, null, compare: true, cancellationToken);
        var figures = TotalMetrics.Select((metric, i) =>
        {
            var row = totals.Results.FirstOrDefault();
            return new SiteReport.Figure(metric, row?.Metrics[i], row?.Comparison?.Change[i]);
        }).ToList();
        var sources = await TopAsync(site, siteGoals, range, "visit:source", cancellationToken);
        var pages = await TopAsync(site, siteGoals, range, "event:page", cancellationToken);
        var goalLines = new List<SiteReport.GoalLine>();
        if (siteGoals.Count > 0)
        {
            var byGoal = await RunAsync(site, siteGoals, range, ["visitors", "events", "conversion_rate", "total_revenue"], "event:goal", compare: false, cancellationToken);
            goalLines.AddRange(byGoal.Results.Select(row => new SiteReport.GoalLine(row.Dimensions[0], Long(row.Metrics[0]), Long(row.Metrics[1]),
                Convert.ToDouble(row.Metrics[2] ?? 0.0, CultureInfo.InvariantCulture), row.Metrics[3] as Money)));
        }
        return new SiteReport(site, period, figures, sources, pages, goalLines);
    }

    /// <summary>Visitors in the alert's window up to now (for a spike, the dashboard's current visitors).</summary>
    public async Task<long> AlertVisitorsAsync(Site site, EmailReportKind kind, CancellationToken cancellationToken)
    {
        await writer.WaitUntilStoredAsync(cancellationToken);
        var result = await engine.QueryAsync(Recent(site, kind, []), cancellationToken);
        return result.Rows.Count == 0 ? 0 : Long(result.Rows[0].Metrics[Metric.Visitors]);
    }

    public async Task<AlertReport> AlertAsync(Site site, EmailReportKind kind, long visitors, CancellationToken cancellationToken)
    {
        async Task<IReadOnlyList<SiteReport.Line>> Top(string dimension) =>
            [.. (await engine.QueryAsync(Recent(site, kind, [Dimension.Find(dimension)!]) with { OrderBy = [("visitors", true)], Limit = TopRows }, cancellationToken))
                .Rows.Select(row => new SiteReport.Line(row.Dimensions[0], Long(row.Metrics[Metric.Visitors])))];
        return new AlertReport(site, kind, visitors, await Top("visit:source"), await Top("event:page"));
    }

    StoreQuery Recent(Site site, EmailReportKind kind, IReadOnlyList<Dimension> dimensions)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new StoreQuery
        {
            SiteId = site.Id, TimeZone = TimeZoneInfo.Utc, Range = new DateRange(now - kind.AlertWindow(), now.AddSeconds(1)), Metrics = [Metric.Visitors],
            Dimensions = dimensions,
        };
    }

    async Task<IReadOnlyList<SiteReport.Line>> TopAsync(Site site, IReadOnlyList<Goal> siteGoals, JsonArray range, string dimension, CancellationToken cancellationToken)
    {
        var result = await RunAsync(site, siteGoals, range, ["visitors"], dimension, compare: false, cancellationToken, TopRows);
        return [.. result.Results.Select(row => new SiteReport.Line(row.Dimensions[0], Long(row.Metrics[0])))];
    }

    Task<QueryResponse> RunAsync(Site site, IReadOnlyList<Goal> siteGoals, JsonArray range, string[] metrics, string? dimension, bool compare,
        CancellationToken cancellationToken, int? limit = null)
    {
        var body = new JsonObject
        {
            ["site_id"] = site.Domain, ["date_range"] = range.DeepClone(),
            ["metrics"] = new JsonArray([.. metrics.Select(m => JsonValue.Create(m))]),
        };
        if (dimension is not null) body["dimensions"] = new JsonArray(JsonValue.Create(dimension));
        if (compare) body["include"] = new JsonObject { ["comparisons"] = new JsonObject { ["mode"] = "previous_period" } };
        if (limit is not null) body["pagination"] = new JsonObject { ["limit"] = limit };
        return queries.RunAsync(QueryParser.Parse(body, site, siteGoals, time.GetUtcNow()), cancellationToken);
    }

    static long Long(object? value) => Convert.ToInt64(value ?? 0L, CultureInfo.InvariantCulture);
}
