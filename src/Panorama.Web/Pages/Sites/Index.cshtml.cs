using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Sites;

/// <summary>Every site the person can see, with a roll-up of the period's visitors, visits, conversions and revenue.</summary>
public sealed class IndexModel(SiteAccess access, SiteDirectory sites, GoalService goals, QueryService queries, EventBatchWriter writer,
    TimeProvider time, Texts texts) : SignedInPage
{
    public static readonly (string Value, string Label)[] Periods = [("day", "Today"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("month", "This month"), ("12mo", "Last 12 months")];

    /// <param name="VisitorsChange">Percent change against the period of the same length before.</param>
    /// <param name="Trend">Visitors per bucket of the period (hours, days or months, as the dashboard's chart), for a sparkline.</param>
    public sealed record Row(string Domain, SiteRole Role, long Visitors, long Visits, long Pageviews, long Conversions, IReadOnlyDictionary<string, decimal> Revenue,
        double? VisitorsChange, IReadOnlyList<long> Trend);

    public string Period { get; set; } = "7d";
    public bool IsOwner { get; set; }
    public List<Row> Rows { get; } = [];

    public async Task OnGetAsync(string? period, CancellationToken cancellationToken)
    {
        Period = Periods.Any(p => p.Value == period) ? period! : "7d";
        var mine = access.SitesOf(UserId);
        IsOwner = access.IsOwner(UserId);
        await writer.WaitUntilStoredAsync(cancellationToken);
        // The sites' queries run at once: the store answers several at a time.
        Rows.AddRange(await Task.WhenAll(mine.Select(pair => RollupAsync(pair.Site, pair.Role, cancellationToken))));
    }

    public async Task<IActionResult> OnPostAsync(string? domain, string? timeZone, CancellationToken cancellationToken)
    {
        if (!access.IsOwner(UserId)) return Forbid();
        var zone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (SiteDomain.Normalize(domain) is null) ModelState.AddModelError("", texts.Format("'{0}' is not a valid domain.", domain ?? ""));
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) ModelState.AddModelError("", texts.Format("Unknown time zone '{0}'.", zone));
        if (!ModelState.IsValid)
        {
            await OnGetAsync(Period, cancellationToken);
            return Page();
        }
        var site = sites.Add(domain!, zone);
        return Redirect($"/sites/{site.Domain}/settings");
    }

    public static string Money(IReadOnlyDictionary<string, decimal> amounts) => amounts.Count == 0 ? "—" :
        string.Join("; ", amounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value.ToString("N2", System.Globalization.CultureInfo.CurrentCulture)} {p.Key}"));

    async Task<Row> RollupAsync(Site site, SiteRole role, CancellationToken cancellationToken)
    {
        var siteGoals = goals.ForSite(site.Id);
        var totals = await RunAsync(site, siteGoals, ["visitors", "visits", "pageviews"], null, cancellationToken, comparison: true);
        var series = await RunAsync(site, siteGoals, ["visitors"], "time", cancellationToken);
        var byBucket = series.Results.ToDictionary(r => r.Dimensions[0], r => Convert.ToInt64(r.Metrics[0] ?? 0L, System.Globalization.CultureInfo.InvariantCulture));
        var trend = (series.TimeLabels ?? []).Select(label => byBucket.GetValueOrDefault(label)).ToList();
        long conversions = 0;
        var revenue = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        if (siteGoals.Count > 0)
        {
            var byGoal = await RunAsync(site, siteGoals, ["events", "total_revenue"], "event:goal", cancellationToken);
            foreach (var row in byGoal.Results)
            {
                conversions += Convert.ToInt64(row.Metrics[0] ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
                if (row.Metrics[1] is Money money) revenue[money.Currency] = revenue.GetValueOrDefault(money.Currency) + money.Value;
            }
        }
        var first = totals.Results.FirstOrDefault()?.Metrics;
        long Number(int index) => first is null ? 0 : Convert.ToInt64(first[index] ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        return new Row(site.Domain, role, Number(0), Number(1), Number(2), conversions, revenue, totals.Results.FirstOrDefault()?.Comparison?.Change[0], trend);
    }

    Task<QueryResponse> RunAsync(Site site, IReadOnlyList<Goal> siteGoals, string[] metrics, string? dimension, CancellationToken cancellationToken, bool comparison = false)
    {
        var body = new JsonObject { ["site_id"] = site.Domain, ["date_range"] = Period, ["metrics"] = new JsonArray(metrics.Select(m => JsonValue.Create(m)).ToArray<JsonNode?>()) };
        if (dimension is not null) body["dimensions"] = new JsonArray(JsonValue.Create(dimension));
        if (dimension == "time") body["include"] = new JsonObject { ["time_labels"] = true };
        if (comparison) body["include"] = new JsonObject { ["comparisons"] = new JsonObject { ["mode"] = "previous_period" } };
        var query = QueryParser.Parse(body, site, siteGoals, time.GetUtcNow());
        return queries.RunAsync(query, cancellationToken);
    }
}
