using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Goals;

/// <summary>Goals per site. Validation errors are <see cref="ArgumentException"/>s whose message names the field.</summary>
public sealed class GoalService(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    /// <summary>Plausible's limits on a goal's custom properties.</summary>
    public const int MaxCustomProps = 3, MaxPropKey = 300, MaxPropValue = 2000, MaxName = 120;

    public IReadOnlyList<Goal> ForSite(int siteId)
    {
        using var db = databases.CreateDbContext();
        return db.Goals.AsNoTracking().Where(g => g.SiteId == siteId).OrderBy(g => g.Id).ToList();
    }

    /// <summary>
    /// Finds or creates the goal: the same page or event with the same properties is the same goal (its name and currency
    /// stay as they were). A name another goal of the site shows is refused, since reports and filters know goals by name.
    /// </summary>
    public Goal Add(int siteId, string? pagePath, string? eventName, string? currency,
        IReadOnlyDictionary<string, string>? customProps = null, string? displayName = null, int? scrollThreshold = null)
    {
        pagePath = string.IsNullOrWhiteSpace(pagePath) ? null : pagePath.Trim();
        eventName = string.IsNullOrWhiteSpace(eventName) ? null : eventName.Trim();
        currency = string.IsNullOrWhiteSpace(currency) ? null : currency.Trim().ToUpperInvariant();
        displayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if ((pagePath is null) == (eventName is null)) throw new ArgumentException("A goal has either 'page_path' or 'event_name', not both.");
        if (pagePath is not null && (!pagePath.StartsWith('/') || pagePath.Length > 2000)) throw new ArgumentException("'page_path' must start with '/' (wildcards * and ** allowed).");
        if (eventName is not null && eventName.Length > 120) throw new ArgumentException("'event_name' is longer than 120 characters.");
        if (eventName == "engagement") throw new ArgumentException("'event_name' cannot be 'engagement': the tracker's engagement events are not conversions.");
        if (currency is not null && (eventName is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
            throw new ArgumentException("'currency' is a 3-letter ISO 4217 code, and only custom-event goals carry revenue.");
        if (displayName is not null && displayName.Length > MaxName) throw new ArgumentException($"'display_name' is longer than {MaxName} characters.");
        var props = Validate(customProps);
        if (scrollThreshold is not null && (pagePath is null || scrollThreshold is < 1 or > 100))
            throw new ArgumentException("'scroll_threshold' is a share of the page from 1 to 100 (%), for a goal with a 'page_path'.");
        if (scrollThreshold is not null && (props.Count > 0 || currency is not null))
            throw new ArgumentException("A scroll depth goal has no 'custom_props' or 'currency': the tracker's engagement events carry neither.");
        var propsJson = props.Count == 0 ? null : JsonSerializer.Serialize(props);
        using var db = databases.CreateDbContext();
        var siteGoals = db.Goals.AsNoTracking().Where(g => g.SiteId == siteId).ToList();
        var existing = siteGoals.FirstOrDefault(g => g.PagePath == pagePath && g.EventName == eventName && g.CustomPropsJson == propsJson
            && g.ScrollThreshold == scrollThreshold);
        if (existing is not null) return existing;
        var goal = new Goal
        {
            SiteId = siteId, PagePath = pagePath, EventName = eventName, Currency = currency, CustomPropsJson = propsJson, ScrollThreshold = scrollThreshold,
            Name = displayName == Goal.DefaultName(pagePath, eventName, props, scrollThreshold) ? null : displayName, CreatedAt = time.GetUtcNow(),
        };
        EnsureFree(siteGoals, goal.DisplayName);
        db.Goals.Add(goal);
        db.SaveChanges();
        return goal;
    }

    /// <summary>
    /// Refuses a name another goal of the site shows, or showed before a rename (references by that name still reach it).
    /// Exactly the same name only: event names are case-sensitive, so "Signup" and "signup" stay two goals.
    /// </summary>
    static void EnsureFree(IEnumerable<Goal> others, string name)
    {
        if (others.FirstOrDefault(g => g.DisplayName == name) is { } taken)
            throw new ArgumentException($"'display_name': goal {taken.Id} is already called '{taken.DisplayName}'; give this one another name.");
        if (others.FirstOrDefault(g => g.IsCalled(name)) is { } former)
            throw new ArgumentException($"'display_name': goal {former.Id} was called '{name}', and filters naming it still reach that goal; give this one another name.");
    }

    /// <summary>
    /// Gives a goal another name (an empty one: its default name again); what it counts is unchanged. The old name stays
    /// the goal's (<see cref="Goal.FormerNames"/>), so dashboard links, KPIs and decisions that filter on it go on measuring
    /// it, and the site's saved funnels and segments take the new one. Null when the site has no such goal.
    /// </summary>
    public Goal? Rename(int siteId, int goalId, string? displayName)
    {
        displayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (displayName is not null && displayName.Length > MaxName) throw new ArgumentException($"'display_name' is longer than {MaxName} characters.");
        using var db = databases.CreateDbContext();
        var siteGoals = db.Goals.Where(g => g.SiteId == siteId).ToList();
        if (siteGoals.FirstOrDefault(g => g.Id == goalId) is not { } goal) return null;
        var defaultName = Goal.DefaultName(goal.PagePath, goal.EventName, goal.CustomProps, goal.ScrollThreshold);
        var name = displayName ?? defaultName;
        var old = goal.DisplayName;
        if (name == old) return goal;
        EnsureFree(siteGoals.Where(g => g.Id != goalId), name);
        var former = goal.FormerNameList.Append(old).Where(n => n != name).Distinct(StringComparer.Ordinal).ToList();
        goal.Name = name == defaultName ? null : name;
        goal.FormerNames = former.Count == 0 ? null : string.Join('\n', former);
        foreach (var view in db.SavedViews.Where(v => v.SiteId == siteId).ToList())
        {
            var lines = view.LineList.Select(line => view.Kind == SavedViewKind.Funnel
                ? line.Trim() == old ? name : line
                : SavedView.FilterLine(line) is ("event:goal", var op, var value) && value == old ? $"event:goal|{op}|{name}" : line);
            view.Lines = string.Join('\n', lines);
        }
        db.SaveChanges();
        return goal;
    }

    static SortedDictionary<string, string> Validate(IReadOnlyDictionary<string, string>? customProps)
    {
        var props = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in customProps ?? new Dictionary<string, string>())
        {
            var k = key.Trim();
            if (k.Length is 0 or > MaxPropKey) throw new ArgumentException($"'custom_props': a property name is 1 to {MaxPropKey} characters.");
            if (string.IsNullOrEmpty(value) || value.Length > MaxPropValue) throw new ArgumentException($"'custom_props': the value of '{k}' is 1 to {MaxPropValue} characters.");
            if (!props.TryAdd(k, value)) throw new ArgumentException($"'custom_props': '{k}' is given twice.");
        }
        if (props.Count > MaxCustomProps) throw new ArgumentException($"'custom_props': a goal needs at most {MaxCustomProps} properties.");
        return props;
    }

    /// <summary>Reads <c>custom_props</c> as the APIs take it: a JSON object of strings (or its text, from a form).</summary>
    public static IReadOnlyDictionary<string, string>? ParseCustomProps(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException)
        {
            throw new ArgumentException("'custom_props' must be an object of property names and string values, such as {\"plan\": \"pro\"}.");
        }
    }

    public bool Delete(int siteId, int goalId)
    {
        using var db = databases.CreateDbContext();
        return db.Goals.Where(g => g.SiteId == siteId && g.Id == goalId).ExecuteDelete() > 0;
    }
}
