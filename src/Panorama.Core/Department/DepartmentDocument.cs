using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Panorama.Core.Department;

/// <summary>The department model was rejected; every problem names its line and field.</summary>
public sealed class DepartmentDocumentException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads the department model from YAML or JSON (JSON is read as YAML, so both report line numbers) and writes it
/// back. Reading validates everything — types, ranges, unique ids and every reference — and either returns a whole
/// model or throws with all the problems found: nothing is ever half-imported.
/// </summary>
public static class DepartmentDocument
{
    public static DepartmentModel Parse(string text)
    {
        var errors = new List<string>();
        var stream = new YamlStream();
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlDotNet.Core.YamlException exception)
        {
            throw new DepartmentDocumentException([$"line {exception.Start.Line}: {exception.Message}"]);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way on some malformed input (an unclosed flow mapping) instead of with a YamlException.
            throw new DepartmentDocumentException([$"line {parser.Current?.End.Line ?? 1}: this is not valid YAML ({exception.Message})"]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new DepartmentDocumentException(["line 1: the document must be a mapping with strategies, units, people, functions, accesses and delegations."]);
        var reader = new Reader(errors);
        var model = reader.Model(root);
        if (errors.Count == 0) Validate(model, reader, errors);
        if (errors.Count > 0) throw new DepartmentDocumentException(errors);
        return model;
    }

    static void Validate(DepartmentModel model, Reader reader, List<string> errors)
    {
        void Unique<T>(IEnumerable<T> items, Func<T, string> id, string what)
        {
            foreach (var group in items.GroupBy(id).Where(g => g.Count() > 1))
                errors.Add($"line {reader.LineOf(group.Last()!)}: {what} id '{group.Key}' is used {group.Count()} times.");
        }
        var objectives = model.Strategies.SelectMany(s => s.Objectives).ToList();
        Unique(model.Strategies, s => s.Id, "strategy");
        Unique(objectives, o => o.Id, "objective");
        Unique(objectives.SelectMany(o => o.Kpis), k => k.Id, "KPI");
        Unique(model.Units, u => u.Id, "unit");
        Unique(model.People, p => p.Id, "person");
        Unique(model.Functions, f => f.Id, "function");

        var units = model.Units.Select(u => u.Id).ToHashSet();
        var people = model.People.Select(p => p.Id).ToHashSet();
        var functions = model.Functions.Select(f => f.Id).ToHashSet();
        var objectiveIds = objectives.Select(o => o.Id).ToHashSet();
        void Reference(object owner, string field, string? id, HashSet<string> known, string what)
        {
            if (id is not null && !known.Contains(id)) errors.Add($"line {reader.LineOf(owner)}: {field}: no {what} has id '{id}'.");
        }
        foreach (var unit in model.Units)
        {
            Reference(unit, "parent", unit.Parent, units, "unit");
            Reference(unit, "head", unit.Head, people, "person");
            var seen = new HashSet<string> { unit.Id };
            for (var parent = unit.Parent; parent is not null; parent = model.Units.FirstOrDefault(u => u.Id == parent)?.Parent)
                if (!seen.Add(parent))
                {
                    errors.Add($"line {reader.LineOf(unit)}: parent: unit '{unit.Id}' is its own ancestor.");
                    break;
                }
        }
        foreach (var person in model.People) Reference(person, "unit", person.Unit, units, "unit");
        foreach (var budget in model.Budgets) Reference(budget, "unit", budget.Unit, units, "unit");
        foreach (var function in model.Functions)
        {
            Reference(function, "unit", function.Unit, units, "unit");
            foreach (var holder in function.Accountable) Reference(function, "accountable", holder, people, "person");
            foreach (var backup in function.Backups) Reference(function, "backups", backup.Person, people, "person");
            foreach (var objective in function.Objectives) Reference(function, "objectives", objective, objectiveIds, "objective");
        }
        foreach (var grant in model.Accesses)
        {
            Reference(grant, "person", grant.Person, people, "person");
            Reference(grant, "function", grant.Function, functions, "function");
        }
        foreach (var delegation in model.Delegations)
        {
            Reference(delegation, "from", delegation.From, people, "person");
            Reference(delegation, "to", delegation.To, people, "person");
            Reference(delegation, "function", delegation.Function, functions, "function");
            if (delegation.Until < delegation.Start) errors.Add($"line {reader.LineOf(delegation)}: until: the delegation ends before it starts.");
        }
        foreach (var kpi in objectives.SelectMany(o => o.Kpis))
        {
            if (kpi.PeriodTo < kpi.PeriodFrom) errors.Add($"line {reader.LineOf(kpi)}: period_to: the KPI's period ends before it starts.");
            if ((kpi.Site is null) != (kpi.Metric is null)) errors.Add($"line {reader.LineOf(kpi)}: an analytics KPI needs both site and metric; a manual one neither.");
        }
    }

    /// <summary>Reads nodes into the model, remembering each object's line for later messages.</summary>
    sealed class Reader(List<string> errors)
    {
        readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, StrongBox> lines = new();
        sealed class StrongBox(long line) { public long Line { get; } = line; }

        public long LineOf(object item) => lines.TryGetValue(item, out var box) ? box.Line : 0;

        T Remember<T>(T item, YamlNode node) where T : class
        {
            lines.AddOrUpdate(item, new StrongBox(node.Start.Line));
            return item;
        }

        void Error(YamlNode node, string field, string message) => errors.Add($"line {node.Start.Line}: {field}: {message}");

        static YamlNode? Field(YamlMappingNode map, string name) =>
            map.Children.TryGetValue(new YamlScalarNode(name), out var value) ? value : null;

        void Known(YamlMappingNode map, params string[] fields)
        {
            foreach (var key in map.Children.Keys)
                if (key is YamlScalarNode { Value: { } name } && !fields.Contains(name))
                    Error(key, name, $"unknown field; expected one of {string.Join(", ", fields)}.");
        }

        string? Text(YamlMappingNode map, string name, bool required = false)
        {
            var node = Field(map, name);
            if (node is null or YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                if (required) Error(map, name, "is required.");
                return null;
            }
            if (node is YamlScalarNode scalar) return scalar.Value!.Trim();
            Error(node, name, "must be a single value.");
            return null;
        }

        string Id(YamlMappingNode map, string name = "id")
        {
            var value = Text(map, name, required: true) ?? "";
            if (value.Length > 100) Error(map, name, "is longer than 100 characters.");
            return value;
        }

        decimal Number(YamlMappingNode map, string name, decimal fallback = 0, decimal min = 0, decimal max = decimal.MaxValue)
        {
            var text = Text(map, name);
            if (text is null) return fallback;
            if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                Error(Field(map, name)!, name, max == decimal.MaxValue ? $"'{text}' is not a number of {min} or more." : $"'{text}' is not a number from {min} to {max}.");
                return fallback;
            }
            return value;
        }

        decimal? OptionalNumber(YamlMappingNode map, string name) => Text(map, name) is null ? null : Number(map, name);

        DateOnly? Date(YamlMappingNode map, string name, bool required = false)
        {
            var text = Text(map, name, required);
            if (text is null) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
            Error(Field(map, name)!, name, $"'{text}' is not a date (YYYY-MM-DD).");
            return null;
        }

        bool Flag(YamlMappingNode map, string name)
        {
            var text = Text(map, name);
            if (text is null) return false;
            if (bool.TryParse(text, out var value)) return value;
            Error(Field(map, name)!, name, $"'{text}' is not true or false.");
            return false;
        }

        TEnum Choice<TEnum>(YamlMappingNode map, string name, TEnum fallback) where TEnum : struct, Enum
        {
            var text = Text(map, name);
            if (text is null) return fallback;
            if (Enum.TryParse<TEnum>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
            Error(Field(map, name)!, name, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>().Select(Snake))}.");
            return fallback;
        }

        List<T> Items<T>(YamlMappingNode map, string name, Func<YamlMappingNode, T> read)
        {
            var node = Field(map, name);
            if (node is null or YamlScalarNode { Value: null or "" or "~" or "null" }) return [];
            if (node is not YamlSequenceNode sequence)
            {
                Error(node, name, "must be a list.");
                return [];
            }
            var items = new List<T>();
            foreach (var child in sequence.Children)
                if (child is YamlMappingNode item) items.Add(read(item));
                else Error(child, name, "each entry must be a mapping of fields.");
            return items;
        }

        List<string> Words(YamlMappingNode map, string name)
        {
            var node = Field(map, name);
            if (node is null) return [];
            if (node is YamlScalarNode { Value: { Length: > 0 } single }) return [single.Trim()];
            if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode))
                return sequence.Children.Select(c => ((YamlScalarNode)c).Value!.Trim()).ToList();
            Error(node, name, "must be a list of ids.");
            return [];
        }

        public DepartmentModel Model(YamlMappingNode root)
        {
            Known(root, "settings", "structure_reviewed_on", "strategies", "units", "people", "functions", "accesses", "delegations", "budgets", "exchange_rates");
            var settings = Field(root, "settings") as YamlMappingNode;
            return new DepartmentModel
            {
                Settings = settings is null ? new() : Settings(settings),
                StructureReviewedOn = Date(root, "structure_reviewed_on"),
                Strategies = Items(root, "strategies", Strategy),
                Units = Items(root, "units", Unit),
                People = Items(root, "people", Person),
                Functions = Items(root, "functions", Function),
                Accesses = Items(root, "accesses", Access),
                Delegations = Items(root, "delegations", Delegation),
                Budgets = Items(root, "budgets", Budget),
                ExchangeRates = Items(root, "exchange_rates", Rate),
            };
        }

        DepartmentSettings Settings(YamlMappingNode map)
        {
            Known(map, "idle_below", "only_backup_limit", "access_review_days", "capacity_weeks", "time_zone");
            var zone = Text(map, "time_zone") ?? "UTC";
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                Error(Field(map, "time_zone")!, "time_zone", $"'{zone}' is not an IANA time zone (such as Europe/Moscow).");
                zone = "UTC";
            }
            return new DepartmentSettings
            {
                IdleBelow = Number(map, "idle_below", 0.6m, 0, 1),
                OnlyBackupLimit = (int)Number(map, "only_backup_limit", 3, 2, 100),
                AccessReviewDays = (int)Number(map, "access_review_days", 90, 1, 3650),
                CapacityWeeks = (int)Number(map, "capacity_weeks", 4, 1, 52),
                TimeZone = zone,
            };
        }

        Strategy Strategy(YamlMappingNode map)
        {
            Known(map, "id", "title", "effective_from", "objectives");
            return Remember(new Strategy
            {
                Id = Id(map), Title = Text(map, "title", true) ?? "", EffectiveFrom = Date(map, "effective_from", true) ?? default,
                Objectives = Items(map, "objectives", Objective),
            }, map);
        }

        Objective Objective(YamlMappingNode map)
        {
            Known(map, "id", "title", "kpis");
            return Remember(new Objective { Id = Id(map), Title = Text(map, "title", true) ?? "", Kpis = Items(map, "kpis", Kpi) }, map);
        }

        Kpi Kpi(YamlMappingNode map)
        {
            Known(map, "id", "name", "site", "metric", "filters", "target", "direction", "baseline", "period_from", "period_to", "check_ins");
            var metric = Text(map, "metric");
            if (metric is not null && !Reports.Query.MetricNames.TryParse(metric, out _))
                Error(Field(map, "metric")!, "metric", $"'{metric}' is not a metric of the Stats API.");
            return Remember(new Kpi
            {
                Id = Id(map), Name = Text(map, "name", true) ?? "", Site = Text(map, "site"), Metric = metric,
                FiltersJson = Field(map, "filters") is { } filters ? ToJson(filters)?.ToJsonString() : null,
                Target = Number(map, "target", 0, decimal.MinValue), Direction = Choice(map, "direction", KpiDirection.AtLeast),
                Baseline = OptionalNumber(map, "baseline"),
                PeriodFrom = Date(map, "period_from", true) ?? default, PeriodTo = Date(map, "period_to", true) ?? default,
                CheckIns = Items(map, "check_ins", c =>
                {
                    Known(c, "on", "value");
                    return new CheckIn(Date(c, "on", true) ?? default, Number(c, "value", 0, decimal.MinValue));
                }),
            }, map);
        }

        Unit Unit(YamlMappingNode map)
        {
            Known(map, "id", "name", "parent", "independent", "monthly_budget", "authority", "head");
            return Remember(new Unit
            {
                Id = Id(map), Name = Text(map, "name", true) ?? "", Parent = Text(map, "parent"), Independent = Flag(map, "independent"),
                MonthlyBudget = OptionalNumber(map, "monthly_budget"), Authority = Text(map, "authority"), Head = Text(map, "head"),
            }, map);
        }

        Person Person(YamlMappingNode map)
        {
            Known(map, "id", "name", "position", "unit", "hours_per_week", "monthly_cost", "learning_share", "learning_hours_per_week", "authority_limit", "left_on", "absences", "account");
            return Remember(new Person
            {
                Id = Id(map), Name = Text(map, "name", true) ?? "", Position = Text(map, "position") ?? "", Unit = Text(map, "unit"),
                HoursPerWeek = Number(map, "hours_per_week", 40, 0, 168), MonthlyCost = Number(map, "monthly_cost"),
                LearningShare = Number(map, "learning_share", 0, 0, 1), LearningHoursPerWeek = Number(map, "learning_hours_per_week", 0, 0, 168),
                AuthorityLimit = Number(map, "authority_limit"), LeftOn = Date(map, "left_on"), Account = Text(map, "account"),
                Absences = Items(map, "absences", a =>
                {
                    Known(a, "from", "to", "reason");
                    var absence = new Absence(Date(a, "from", true) ?? default, Date(a, "to", true) ?? default, Text(a, "reason") ?? "");
                    if (absence.To < absence.From) Error(a, "to", "the absence ends before it starts.");
                    return absence;
                }),
            }, map);
        }

        Function Function(YamlMappingNode map)
        {
            Known(map, "id", "name", "unit", "accountable", "backups", "weekly_hours", "criticality", "objectives", "authority", "authority_amount", "needs", "channels");
            return Remember(new Function
            {
                Id = Id(map), Name = Text(map, "name", true) ?? "", Unit = Text(map, "unit"), Accountable = Words(map, "accountable"),
                Backups = Items(map, "backups", b =>
                {
                    Known(b, "person", "proficiency");
                    return new Backup(Id(b, "person"), Choice(b, "proficiency", Proficiency.Trained));
                }),
                WeeklyHours = Number(map, "weekly_hours", 0, 0, 168), Criticality = Choice(map, "criticality", Criticality.Normal),
                Objectives = Words(map, "objectives"), Authority = Text(map, "authority") ?? "", AuthorityAmount = Number(map, "authority_amount"),
                Channels = Words(map, "channels"),
                Needs = Items(map, "needs", n =>
                {
                    Known(n, "system", "level");
                    return new RequiredAccess(Text(n, "system", true) ?? "", Text(n, "level") ?? "read");
                }),
            }, map);
        }

        AccessGrant Access(YamlMappingNode map)
        {
            Known(map, "person", "system", "level", "granted_by", "granted_on", "expires", "function", "last_review", "reviewer");
            return Remember(new AccessGrant
            {
                Person = Id(map, "person"), System = Text(map, "system", true) ?? "", Level = Text(map, "level") ?? "read",
                GrantedBy = Text(map, "granted_by") ?? "", GrantedOn = Date(map, "granted_on", true) ?? default, Expires = Date(map, "expires"),
                Function = Text(map, "function"), LastReview = Date(map, "last_review"), Reviewer = Text(map, "reviewer"),
            }, map);
        }

        Delegation Delegation(YamlMappingNode map)
        {
            Known(map, "from", "to", "function", "start", "until", "reason");
            return Remember(new Delegation
            {
                From = Id(map, "from"), To = Id(map, "to"), Function = Id(map, "function"), Start = Date(map, "start", true) ?? default,
                Until = Date(map, "until", true) ?? default, Reason = Text(map, "reason") ?? "",
            }, map);
        }

        Budget Budget(YamlMappingNode map)
        {
            Known(map, "unit", "channel", "campaign", "period_from", "period_to", "amount", "currency");
            var budget = Remember(new Budget
            {
                Unit = Id(map, "unit"), Channel = Text(map, "channel", true) ?? "", Campaign = Text(map, "campaign"),
                PeriodFrom = Date(map, "period_from", true) ?? default, PeriodTo = Date(map, "period_to", true) ?? default,
                Amount = Number(map, "amount"), Currency = (Text(map, "currency") ?? "RUB").ToUpperInvariant(),
            }, map);
            if (budget.PeriodTo < budget.PeriodFrom) Error(map, "period_to", "the budget's period ends before it starts.");
            return budget;
        }

        Spend.ExchangeRate Rate(YamlMappingNode map)
        {
            Known(map, "currency", "to", "from", "until", "rate");
            var rate = new Spend.ExchangeRate((Text(map, "currency", true) ?? "").ToUpperInvariant(), (Text(map, "to", true) ?? "").ToUpperInvariant(),
                Date(map, "from", true) ?? default, Date(map, "until", true) ?? default, Number(map, "rate", 0, 0));
            if (rate.Rate <= 0) Error(map, "rate", "must be more than zero.");
            if (rate.Until < rate.From) Error(map, "until", "the rate's period ends before it starts.");
            return rate;
        }

        static JsonNode? ToJson(YamlNode node) => node switch
        {
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
            YamlScalarNode { Value: { } value } scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
                && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            YamlScalarNode { Value: "true" or "false" } scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain => JsonValue.Create(scalar.Value == "true"),
            YamlScalarNode scalar => JsonValue.Create(scalar.Value),
            _ => null,
        };
    }

    static string Snake(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The model as YAML (<paramref name="json"/> false) or JSON, in the form <see cref="Parse"/> reads.</summary>
    public static string Write(DepartmentModel model, bool json = false)
    {
        static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static Dictionary<string, object?> Map(params (string Key, object? Value)[] fields) =>
            fields.Where(f => f.Value is not null && f.Value is not "" && f.Value is not System.Collections.ICollection { Count: 0 })
                .ToDictionary(f => f.Key, f => f.Value);
        var tree = Map(
            ("settings", Map(("idle_below", model.Settings.IdleBelow), ("only_backup_limit", model.Settings.OnlyBackupLimit),
                ("access_review_days", model.Settings.AccessReviewDays), ("capacity_weeks", model.Settings.CapacityWeeks),
                ("time_zone", model.Settings.TimeZone == "UTC" ? null : model.Settings.TimeZone))),
            ("structure_reviewed_on", model.StructureReviewedOn is { } reviewed ? Day(reviewed) : null),
            ("strategies", model.Strategies.Select(s => Map(("id", s.Id), ("title", s.Title), ("effective_from", Day(s.EffectiveFrom)),
                ("objectives", s.Objectives.Select(o => Map(("id", o.Id), ("title", o.Title),
                    ("kpis", o.Kpis.Select(k => Map(("id", k.Id), ("name", k.Name), ("site", k.Site), ("metric", k.Metric),
                        ("filters", k.FiltersJson is null ? null : JsonSerializer.Deserialize<object>(k.FiltersJson) is JsonElement element ? Plain(element) : null),
                        ("target", k.Target), ("direction", Snake(k.Direction.ToString())), ("baseline", k.Baseline),
                        ("period_from", Day(k.PeriodFrom)), ("period_to", Day(k.PeriodTo)),
                        ("check_ins", k.CheckIns.Select(c => Map(("on", Day(c.On)), ("value", c.Value))).ToList()))).ToList()))).ToList()))).ToList()),
            ("units", model.Units.Select(u => Map(("id", u.Id), ("name", u.Name), ("parent", u.Parent), ("independent", u.Independent ? true : null),
                ("monthly_budget", u.MonthlyBudget), ("authority", u.Authority), ("head", u.Head))).ToList()),
            ("people", model.People.Select(p => Map(("id", p.Id), ("name", p.Name), ("position", p.Position), ("unit", p.Unit),
                ("hours_per_week", p.HoursPerWeek), ("monthly_cost", p.MonthlyCost), ("learning_share", p.LearningShare),
                ("learning_hours_per_week", p.LearningHoursPerWeek), ("authority_limit", p.AuthorityLimit),
                ("left_on", p.LeftOn is { } left ? Day(left) : null), ("account", p.Account),
                ("absences", p.Absences.Select(a => Map(("from", Day(a.From)), ("to", Day(a.To)), ("reason", a.Reason))).ToList()))).ToList()),
            ("functions", model.Functions.Select(f => Map(("id", f.Id), ("name", f.Name), ("unit", f.Unit), ("accountable", f.Accountable),
                ("backups", f.Backups.Select(b => Map(("person", b.Person), ("proficiency", Snake(b.Proficiency.ToString())))).ToList()),
                ("weekly_hours", f.WeeklyHours), ("criticality", Snake(f.Criticality.ToString())), ("objectives", f.Objectives),
                ("authority", f.Authority), ("authority_amount", f.AuthorityAmount),
                ("needs", f.Needs.Select(n => Map(("system", n.System), ("level", n.Level))).ToList()), ("channels", f.Channels))).ToList()),
            ("accesses", model.Accesses.Select(a => Map(("person", a.Person), ("system", a.System), ("level", a.Level), ("granted_by", a.GrantedBy),
                ("granted_on", Day(a.GrantedOn)), ("expires", a.Expires is { } expires ? Day(expires) : null), ("function", a.Function),
                ("last_review", a.LastReview is { } review ? Day(review) : null), ("reviewer", a.Reviewer))).ToList()),
            ("delegations", model.Delegations.Select(d => Map(("from", d.From), ("to", d.To), ("function", d.Function), ("start", Day(d.Start)),
                ("until", Day(d.Until)), ("reason", d.Reason))).ToList()),
            ("budgets", model.Budgets.Select(b => Map(("unit", b.Unit), ("channel", b.Channel), ("campaign", b.Campaign), ("period_from", Day(b.PeriodFrom)),
                ("period_to", Day(b.PeriodTo)), ("amount", b.Amount), ("currency", b.Currency))).ToList()),
            ("exchange_rates", model.ExchangeRates.Select(r => Map(("currency", r.Currency), ("to", r.To), ("from", Day(r.From)), ("until", Day(r.Until)),
                ("rate", r.Rate))).ToList()));
        if (json) return JsonSerializer.Serialize(tree, new JsonSerializerOptions { WriteIndented = true });
        return new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(tree);
    }

    static object? Plain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().Select(Plain).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value)),
        JsonValueKind.Number => element.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        _ => null,
    };
}
