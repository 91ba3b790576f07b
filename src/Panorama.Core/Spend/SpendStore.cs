using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Spend;

/// <summary>Spend in the relational store: imports in one transaction, replacing rows with the same key, so a re-import changes nothing.</summary>
public sealed class SpendStore(IDbContextFactory<PanoramaDbContext> databases)
{
    public sealed record ImportResult(int Added, int Updated, int Unchanged);

    public ImportResult Import(IReadOnlyList<SpendRow> rows)
    {
        using var db = databases.CreateDbContext();
        using var transaction = db.Database.BeginTransaction();
        var keys = rows.Select(r => r.RowKey).ToList();
        var existing = db.SpendRows.Where(r => keys.Contains(r.RowKey)).ToDictionary(r => r.RowKey);
        int added = 0, updated = 0, unchanged = 0;
        foreach (var row in rows)
        {
            if (!existing.TryGetValue(row.RowKey, out var stored))
            {
                db.SpendRows.Add(row);
                added++;
            }
            else if (stored.Cost != row.Cost || stored.Clicks != row.Clicks || stored.Impressions != row.Impressions)
            {
                (stored.Cost, stored.Clicks, stored.Impressions) = (row.Cost, row.Clicks, row.Impressions);
                updated++;
            }
            else unchanged++;
        }
        db.SaveChanges();
        transaction.Commit();
        return new ImportResult(added, updated, unchanged);
    }

    /// <summary>
    /// Spend per channel and campaign over the days, in one currency: other currencies converted with the supplied
    /// rates; what no rate covers is left out and returned as <c>Unconverted</c> (per currency).
    /// </summary>
    public (IReadOnlyDictionary<(string Channel, string Campaign), decimal> Totals, IReadOnlyDictionary<string, decimal> Unconverted) Totals(
        int siteId, DateOnly first, DateOnly last, string currency, IReadOnlyList<ExchangeRate>? rates = null)
    {
        using var db = databases.CreateDbContext();
        var totals = new Dictionary<(string, string), decimal>();
        var unconverted = new Dictionary<string, decimal>();
        foreach (var row in db.SpendRows.AsNoTracking().Where(r => r.SiteId == siteId).AsEnumerable().Where(r => r.Day >= first && r.Day <= last))
        {
            if (ExchangeRate.Convert(row.Cost, row.Currency, row.Day, currency, rates ?? []) is { } converted)
                totals[(row.Channel, row.Campaign)] = totals.GetValueOrDefault((row.Channel, row.Campaign)) + converted;
            else unconverted[row.Currency] = unconverted.GetValueOrDefault(row.Currency) + row.Cost;
        }
        return (totals, unconverted);
    }

    /// <summary>Each budget against its spend up to today (or its last day).</summary>
    public IReadOnlyList<Department.BudgetPacing> Pacing(IEnumerable<Department.Budget> budgets, DateOnly today) =>
        [.. budgets.Select(b => Department.BudgetPacing.Of(b, Total(b.Channel, b.Campaign, b.PeriodFrom, b.PeriodTo < today ? b.PeriodTo : today, b.Currency), today))];

    /// <summary>Spend on a channel (and campaign, when given) over the days, across every site, in one currency.</summary>
    public decimal Total(string channel, string? campaign, DateOnly first, DateOnly last, string currency)
    {
        using var db = databases.CreateDbContext();
        return db.SpendRows.AsNoTracking().Where(r => r.Channel == channel && r.Currency == currency && (campaign == null || r.Campaign == campaign))
            .AsEnumerable().Where(r => r.Day >= first && r.Day <= last).Sum(r => r.Cost);
    }

    public IReadOnlyList<string> Currencies(int siteId)
    {
        using var db = databases.CreateDbContext();
        return db.SpendRows.AsNoTracking().Where(r => r.SiteId == siteId).Select(r => r.Currency).Distinct().OrderBy(c => c).ToList();
    }
}
