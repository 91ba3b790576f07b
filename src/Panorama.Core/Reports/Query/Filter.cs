namespace Panorama.Core.Reports.Query;

/// <summary>A filter tree: conditions on dimensions combined with and/or/not, and goal completions within a visit.</summary>
public abstract record Filter;

public enum FilterOperator { Is, IsNot, Contains, ContainsNot, Matches, MatchesNot }

/// <param name="CaseSensitive">Plausible's <c>{"case_sensitive": false}</c> modifier; true by default.</param>
public sealed record Condition(FilterOperator Operator, Dimension Dimension, IReadOnlyList<string> Values, bool CaseSensitive = true) : Filter;

public sealed record AllOf(IReadOnlyList<Filter> Filters) : Filter;

public sealed record AnyOf(IReadOnlyList<Filter> Filters) : Filter;

public sealed record Not(Filter Filter) : Filter;

/// <summary><c>has_done</c> / <c>has_not_done</c>: the visit contains (or lacks) an event matching the inner filter.</summary>
public sealed record VisitHasDone(Filter Filter, bool Negated) : Filter;
