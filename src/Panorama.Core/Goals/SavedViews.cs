using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;
using Panorama.Core.Reports.Query;

namespace Panorama.Core.Goals;

/// <summary>A site's saved funnels and segments. Validation errors are <see cref="ArgumentException"/>s that name what is wrong.</summary>
public sealed class SavedViews(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    public const int MaxPerSite = 50;

    /// <summary>The operators the dashboard's filters use.</summary>
    public static readonly string[] SegmentOperators = ["is", "is_not", "contains", "matches"];

    public IReadOnlyList<SavedView> For(int siteId, SavedViewKind kind)
    {
        using var db = databases.CreateDbContext();
        return db.SavedViews.AsNoTracking().Where(v => v.SiteId == siteId && v.Kind == kind).OrderBy(v => v.Name).ToList();
    }

    /// <summary>Saves the lines under the name; one of that kind and name gets the new lines.</summary>
    public SavedView Save(int siteId, SavedViewKind kind, string? name, string? lines)
    {
        var title = name?.Trim() ?? "";
        var noun = kind == SavedViewKind.Funnel ? "funnel" : "segment";
        if (title.Length is 0 or > 80) throw new ArgumentException($"A {noun} needs a name of up to 80 characters.");
        var list = (lines ?? "").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        if (kind == SavedViewKind.Funnel) CheckSteps(list);
        else CheckFilters(list);
        using var db = databases.CreateDbContext();
        var view = db.SavedViews.Where(v => v.SiteId == siteId && v.Kind == kind).AsEnumerable()
            .FirstOrDefault(v => string.Equals(v.Name, title, StringComparison.OrdinalIgnoreCase));
        if (view is null)
        {
            if (db.SavedViews.Count(v => v.SiteId == siteId && v.Kind == kind) >= MaxPerSite) throw new ArgumentException($"A site has at most {MaxPerSite} saved {noun}s.");
            view = new SavedView { SiteId = siteId, Kind = kind, Name = title, Lines = "", CreatedAt = time.GetUtcNow() };
            db.SavedViews.Add(view);
        }
        view.Lines = string.Join('\n', list);
        db.SaveChanges();
        return view;
    }

    public bool Delete(int siteId, int id)
    {
        using var db = databases.CreateDbContext();
        return db.SavedViews.Where(v => v.SiteId == siteId && v.Id == id).ExecuteDelete() > 0;
    }

    static void CheckSteps(List<string> steps)
    {
        if (steps.Count is < 2 or > 8) throw new ArgumentException("A funnel has 2 to 8 steps, one a line.");
        foreach (var step in steps)
        {
            if (step.StartsWith('/') ? step.Length > 2000 : step.Length > 120)
                throw new ArgumentException($"Step '{(step.Length > 40 ? step[..40] + "…" : step)}' is too long: a page path (up to 2000 characters) or an event name (up to 120).");
        }
    }

    static void CheckFilters(List<string> filters)
    {
        if (filters.Count is < 1 or > 10) throw new ArgumentException("A segment has 1 to 10 filters, one a line.");
        for (var i = 0; i < filters.Count; i++)
        {
            var line = SavedView.FilterLine(filters[i]);
            var dimension = line is { } parts ? Dimension.Find(parts.Dimension) : null;
            if (dimension is null || dimension.Kind == DimensionKind.Time || !SegmentOperators.Contains(line!.Value.Operator)
                || line.Value.Value.Length is 0 or > 2000)
                throw new ArgumentException($"Filter {i + 1}: '{filters[i]}' is not dimension|operator|value (e.g. visit:source|is|Google; operators: {string.Join(", ", SegmentOperators)}).");
        }
    }
}
