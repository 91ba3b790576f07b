using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Attribution;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;
using Panorama.Core.Spend;

namespace Panorama.Web.Pages.Sites;

/// <summary>
/// Spend against attributed conversions and revenue per channel and campaign (CAC, ROAS, ROI), the cost of cutting a
/// channel, and the spend import. Viewers read; admins import.
/// </summary>
public sealed class RoiModel(GoalService goals, SpendStore spend, IQueryEngine engine, EventBatchWriter writer, TimeProvider time, Localization.Texts texts,
    Panorama.Core.Decisions.DecisionRegister decisions, Panorama.Core.Department.DepartmentStore department) : SignedInPage
{
    public static readonly int[] PeriodDays = [7, 30, 90];

    public static readonly IReadOnlyDictionary<AttributionModel, string> ModelNames = new Dictionary<AttributionModel, string>
    {
        [AttributionModel.FirstTouch] = "First touch",
        [AttributionModel.LastNonDirect] = "Last non-direct touch",
        [AttributionModel.Linear] = "Linear",
        [AttributionModel.PositionBased] = "Position-based (40/20/40)",
        [AttributionModel.TimeDecay] = "Time decay (7-day half-life)",
    };
    public Site Site { get; private set; } = null!;
    public SiteRole Role { get; private set; }
    public IReadOnlyList<Goal> Goals { get; private set; } = [];
    public Goal? Goal { get; private set; }
    public AttributionModel Model { get; private set; }
    public int Days { get; private set; }
    public int Lookback { get; private set; }
    public string Currency { get; private set; } = "";
    public IReadOnlyList<string> Currencies { get; private set; } = [];
    public IReadOnlyList<ChannelReturn> Returns { get; private set; } = [];
    public IReadOnlyList<ChannelReturn> Channels { get; private set; } = [];
    public int ConversionCount { get; private set; }
    public SpendStore.ImportResult? Imported { get; private set; }
    public IReadOnlyList<string> ImportErrors { get; private set; } = [];
    public (string Channel, decimal Cut, decimal Conversions, decimal Revenue)? Cut { get; private set; }

    /// <summary>Staff cost per channel over the period, from the department's functions tied to channels (in the department's money).</summary>
    public IReadOnlyDictionary<string, decimal> StaffCost { get; private set; } = new Dictionary<string, decimal>();

    public decimal? FullyLoadedCac(ChannelReturn channel) =>
        channel.Conversions > 0 && StaffCost.TryGetValue(channel.Channel, out var staff) ? Math.Round((channel.Spend + staff) / channel.Conversions, 2) : null;

    /// <summary>Spend in currencies no supplied rate converts, left out of the figures.</summary>
    public IReadOnlyDictionary<string, decimal> Unconverted { get; private set; } = new Dictionary<string, decimal>();

    public Task<IActionResult> OnGetAsync(string domain, int? goal, AttributionModel? model, int? days, int? lookback, string? currency, string? cutChannel, decimal? cutAmount, CancellationToken cancellationToken) =>
        LoadAsync(domain, goal, model, days, lookback, currency, cutChannel, cutAmount, cancellationToken);

    /// <summary>Whose export the imported file was read as (Google Ads, Yandex Direct, VK Ads or CSV).</summary>
    public string? ImportedPlatform { get; private set; }

    public async Task<IActionResult> OnPostImportAsync(string domain, IFormFile? file, string? channel, CancellationToken cancellationToken)
    {
        if (SiteFor(domain, SiteRole.Admin) is not { } found) return NotFound();
        if (file is null || file.Length == 0) ImportErrors = [texts["Choose a CSV file."]];
        else if (file.Length > 20_000_000) ImportErrors = [texts["The file is larger than 20 MB."]];
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            try
            {
                var (rows, platform) = SpendImport.Read(buffer.ToArray(), found.Site.Id, channel);
                (Imported, ImportedPlatform) = (spend.Import(rows), platform);
            }
            catch (SpendImportException exception)
            {
                ImportErrors = exception.Errors;
            }
        }
        return await LoadAsync(domain, null, null, null, null, null, null, null, cancellationToken);
    }

    /// <summary>Turns a cut estimate into a draft decision carrying it as its consequences (C: saving on marketing loses profit).</summary>
    public async Task<IActionResult> OnPostProposeCutAsync(string domain, int? goal, AttributionModel? model, int? days, int? lookback, string? currency,
        string? cutChannel, decimal? cutAmount, CancellationToken cancellationToken)
    {
        var page = await LoadAsync(domain, goal, model, days, lookback, currency, cutChannel, cutAmount, cancellationToken);
        if (page is not Microsoft.AspNetCore.Mvc.RazorPages.PageResult || Cut is not { } cut) return page is Microsoft.AspNetCore.Mvc.RazorPages.PageResult ? BadRequest() : page;
        var assumption = texts["Assumes each unit of the channel's spend keeps bringing the conversions and revenue it brought in this period under this attribution model (no diminishing returns, no effect on other channels): an upper estimate."];
        var decision = await decisions.ProposeAsync(new Panorama.Core.Decisions.Decision
        {
            Title = $"Cut {cut.Channel} spend by {cut.Cut:#,0} {Currency}",
            Area = cut.Channel,
            Importance = Panorama.Core.Decisions.Importance.Important,
            ProposedBy = User.Identity?.Name ?? UserId,
            SiteId = Site.Id,
            ExpectedBenefits = $"Saves {cut.Cut:#,0} {Currency} over {Days} days.",
            ConsequencesAndRisks = $"Estimated loss over {Days} days ({ModelNames[Model]} attribution, goal {Goal?.DisplayName}): about {cut.Conversions:0.##} conversions and {cut.Revenue:#,0.##} {Currency} of revenue. {assumption}",
        }, Goal is null ? [] : [new Panorama.Core.Decisions.DecisionMetric("events", System.Text.Json.JsonSerializer.Serialize(new object[] { new object[] { "is", "event:goal", new[] { Goal.DisplayName } } }), "decrease", null)], cancellationToken);
        return Redirect($"/decisions/{decision.Id}");
    }

    async Task<IActionResult> LoadAsync(string domain, int? goal, AttributionModel? model, int? days, int? lookback, string? currency,
        string? cutChannel, decimal? cutAmount, CancellationToken cancellationToken)
    {
        if (SiteFor(domain, SiteRole.Viewer) is not { } found) return NotFound();
        (Site, Role) = found;
        Goals = goals.ForSite(Site.Id);
        Goal = Goals.FirstOrDefault(g => g.Id == goal) ?? Goals.FirstOrDefault(g => g.Currency is not null) ?? Goals.FirstOrDefault();
        Model = model ?? AttributionModel.LastNonDirect;
        Days = PeriodDays.Contains(days ?? 0) ? days!.Value : 30;
        Lookback = Math.Clamp(lookback ?? 30, 1, 90);
        Currencies = spend.Currencies(Site.Id).Union(Goals.Select(g => g.Currency).OfType<string>()).Distinct().Order().ToList();
        Currency = Currencies.Contains(currency ?? "") ? currency! : Goal?.Currency is { } goalCurrency && Currencies.Contains(goalCurrency) ? goalCurrency : Currencies.FirstOrDefault() ?? Goal?.Currency ?? "";
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Site.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone));
        var first = today.AddDays(-(Days - 1));
        var departmentModel = department.Current().Model;
        StaffCost = departmentModel.StaffCostByChannel(Days);
        var (totals, unconverted) = spend.Totals(Site.Id, first, today, Currency, departmentModel.ExchangeRates);
        Unconverted = unconverted;
        IReadOnlyList<ConversionPath> paths = [];
        if (Goal is not null)
        {
            await writer.WaitUntilStoredAsync(cancellationToken);
            paths = await engine.ConversionPathsAsync(Site.Id, DateRange.ForDays(first, today, zone), Goal, TimeSpan.FromDays(Lookback), cancellationToken);
        }
        ConversionCount = paths.Count;
        Returns = ReturnCalculator.Compute(Model, paths, totals);
        Channels = Returns.GroupBy(r => r.Channel)
            .Select(g => new ChannelReturn(g.Key, "", g.Sum(r => r.Spend), g.Sum(r => r.Conversions), g.Sum(r => r.Revenue)))
            .OrderByDescending(r => r.Revenue).ThenByDescending(r => r.Spend).ToList();
        if (cutChannel is not null && cutAmount is > 0 && Channels.FirstOrDefault(c => c.Channel == cutChannel) is { } channel && channel.CostOfCut(cutAmount.Value) is { } lost)
            Cut = (cutChannel, cutAmount.Value, lost.Conversions, lost.Revenue);
        return Page();
    }
}
