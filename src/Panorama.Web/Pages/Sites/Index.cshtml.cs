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

    public sealed record Row(string Domain, SiteRole Role, long Visitors, long Visits, long Pageviews, long Conversions, IReadOnlyDictionary<string, decimal> Revenue);

    public string Period { get; set; } = "7d";
    public bool IsOwner { get; set; }
    public List<Row> Rows { get; } = [];

    public async Task OnGetAsync(string? period, CancellationToken cancellationToken)
    {
        Period = Periods.Any(p => p.Value == period) ? period! : "7d";
        var mine = access.SitesOf(UserId);
        IsOwner = access.IsOwner(UserId);
        await writer.WaitUntilStoredAsync(cancellationToken);
        foreach (var (site, role) in mine) Rows.Add(await RollupAsync(site, role, cancellationToken));
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
        var totals = await RunAsync(site, siteGoals, ["visitors", "visits", "pageviews"], null, cancellationToken);
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
        return new Row(site.Domain, role, Number(0), Number(1), Number(2), conversions, revenue);
    }

    Task<QueryResponse> RunAsync(Site site, IReadOnlyList<Goal> siteGoals, string[] metrics, string? dimension, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["site_id"] = site.Domain, ["date_range"] = Period, ["metrics"] = new JsonArray(metrics.Select(m => JsonValue.Create(m)).ToArray<JsonNode?>()) };
        if (dimension is not null) body["dimensions"] = new JsonArray(JsonValue.Create(dimension));
        var query = QueryParser.Parse(body, site, siteGoals, time.GetUtcNow());
        return queries.RunAsync(query, cancellationToken);
    }
}
