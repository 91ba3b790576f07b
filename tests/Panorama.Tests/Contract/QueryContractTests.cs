using System.Net;
using System.Text.Json.Nodes;

namespace Panorama.Tests.Contract;

/// <summary>
/// The query API against hand-computed numbers (traffic in <see cref="QueryFixture"/>): every metric family,
/// dimension family and filter family, goals, comparisons, time zones and errors.
/// </summary>
public abstract class QueryContract<TFixture>(TFixture fixture) where TFixture : QueryFixture
{
    protected TFixture Fixture => fixture;

    const string Site = QueryFixture.Domain;
    const string Day = "[\"2026-10-10\", \"2026-10-10\"]";

    async Task<JsonArray> Results(string metrics, string extra = "")
    {
        var (status, body) = await fixture.QueryAsync($$"""{"site_id": "{{Site}}", "metrics": [{{metrics}}], "date_range": {{Day}}{{extra}}}""");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body["results"]!.AsArray();
    }

    static string Row(JsonNode? row) =>
        string.Join("|", row!["dimensions"]!.AsArray().Select(d => (string)d!).Concat(row["metrics"]!.AsArray().Select(m => m?.ToJsonString() ?? "null")));

    [Fact]
    public async Task Query_TopLineMetrics_Exact()
    {
        var rows = await Results("\"visitors\", \"visits\", \"pageviews\", \"events\", \"bounce_rate\", \"visit_duration\", \"views_per_visit\"");
        Assert.Equal("4|5|6|9|60|60|1.2", Row(rows.Single()));
    }

    [Fact]
    public async Task Query_BySource_VisitsCountedWhereTheyStarted()
    {
        var rows = await Results("\"visitors\", \"visits\", \"bounce_rate\"", """, "dimensions": ["visit:source"]""");
        Assert.Equal(["Direct / None|1|1|0", "Google|1|1|0", "Telegram|1|1|100", "Yandex|1|1|100", "newsletter|1|1|100"], rows.Select(Row).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Query_ByGoal_ConversionsRatesAndRevenue()
    {
        var rows = await Results("\"visitors\", \"events\", \"conversion_rate\"", """, "dimensions": ["event:goal"]""");
        Assert.Equal(["Visit /blog/**|3|3|75", "Purchase|2|2|50"], rows.Take(2).Select(Row));
        Assert.Equal(["Pro signup|1|1|25", "Scroll 75% on /blog/**|1|1|25", "Signup|1|1|25"], rows.Skip(2).Select(Row).Order(StringComparer.Ordinal));
        var revenue = await Results("\"total_revenue\", \"average_revenue\"", """, "filters": [["is", "event:goal", ["Purchase"]]]""");
        Assert.Equal("""{"value":150.5,"currency":"EUR"}""", revenue.Single()!["metrics"]![0]!.ToJsonString());
        Assert.Equal("""{"value":75.25,"currency":"EUR"}""", revenue.Single()!["metrics"]![1]!.ToJsonString());
    }

    [Fact]
    public async Task Query_GoalWithCustomProps_CountsOnlyEventsCarryingThem()
    {
        Assert.Equal("1|1", Row((await Results("\"visitors\", \"events\"", """, "filters": [["is", "event:goal", ["Pro signup"]]]""")).Single()));
        Assert.Empty(await Results("\"visitors\"", """, "filters": [["is", "event:goal", ["Signup (plan=free)"]]], "dimensions": ["visit:source"]"""));
        var bySource = await Results("\"visitors\", \"group_conversion_rate\"", """, "dimensions": ["visit:source"], "filters": [["is", "event:goal", ["Pro signup", "Signup (plan=free)"]]]""");
        Assert.Equal(["Google|1|100"], bySource.Select(Row));
        // Visitors who did not convert on it: B, C and D.
        Assert.Equal("3", Row((await Results("\"visitors\"", """, "filters": [["has_not_done", ["is", "event:goal", ["Pro signup"]]]]""")).Single()));
    }

    [Fact]
    public async Task Query_ScrollGoal_FromEngagementEvents_InTheirVisits()
    {
        const string Scroll75 = """["is", "event:goal", ["Scroll 75% on /blog/**"]]""";
        Assert.Equal("1|1|1|0", Row((await Results("\"visitors\", \"visits\", \"events\", \"pageviews\"", $", \"filters\": [{Scroll75}]")).Single()));
        // B's engagement event came 30 s after the visit's only pageview, and still counts in that visit: from the newsletter.
        Assert.Equal(["newsletter|1|100"], (await Results("\"visitors\", \"group_conversion_rate\"", $", \"dimensions\": [\"visit:source\"], \"filters\": [{Scroll75}]")).Select(Row));
        Assert.Equal(["/blog/post-2|1"], (await Results("\"visitors\"", $", \"dimensions\": [\"event:page\"], \"filters\": [{Scroll75}]")).Select(Row));
        Assert.Empty(await Results("\"visitors\"", """, "dimensions": ["visit:source"], "filters": [["is", "event:goal", ["Scroll 90% on /blog/**"]]]"""));
        Assert.Equal("1", Row((await Results("\"visitors\"", $", \"filters\": [[\"has_done\", {Scroll75}]]")).Single()));
        Assert.Equal("3", Row((await Results("\"visitors\"", $", \"filters\": [[\"has_not_done\", {Scroll75}]]")).Single()));
        // Not the goal: every other event, and no engagement event counted as one.
        Assert.Equal("4|9", Row((await Results("\"visitors\", \"events\"", $", \"filters\": [[\"is_not\", \"event:goal\", [\"Scroll 75% on /blog/**\"]]]")).Single()));
        // A goal breakdown on the newsletter's mobile visitors: the scroll goal and the page goal, each once.
        Assert.Equal(["Scroll 75% on /blog/**|1|1", "Visit /blog/**|1|1"],
            (await Results("\"visitors\", \"events\"", """, "dimensions": ["event:goal"], "filters": [["is", "visit:source", ["newsletter"]]]""")).Select(Row).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Query_GroupConversionRate_PerSource()
    {
        var rows = await Results("\"visitors\", \"group_conversion_rate\"", """, "dimensions": ["visit:source"], "filters": [["is", "event:goal", ["Purchase"]]]""");
        Assert.Equal(["Direct / None|1|100", "Google|1|100"], rows.Select(Row).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""["is", "event:page", ["/blog/post-1"]]""", "2|2|2|50")]
    [InlineData("""["is", "visit:country", ["RU"]]""", "3|4|5|50")]
    [InlineData("""["is_not", "visit:country", ["RU"]]""", "1|1|1|100")]
    [InlineData("""["contains", "event:page", ["BLOG"], {"case_sensitive": false}]""", "3|3|3|67")]
    [InlineData("""["contains", "event:page", ["BLOG"]]""", "0|0|0|0")]
    [InlineData("""["matches", "event:page", ["^/blog/post-\\d$"]]""", "3|3|3|67")]
    [InlineData("""["or", [["is", "visit:source", ["Google"]], ["is", "visit:source", ["Telegram"]]]]""", "2|2|3|50")]
    [InlineData("""["not", ["is", "visit:device", ["Desktop"]]]""", "2|3|3|67")]
    [InlineData("""["and", [["is", "visit:country", ["RU"]], ["is", "visit:device", ["Mobile"]]]]""", "1|2|2|50")]
    [InlineData("""["has_done", ["is", "event:name", ["Purchase"]]]""", "2|2|3|0")]
    [InlineData("""["has_not_done", ["is", "event:name", ["Purchase"]]]""", "3|3|3|100")]
    [InlineData("""["is", "visit:utm_campaign", ["oct"]]""", "1|1|1|100")]
    [InlineData("""["is", "visit:utm_campaign", ["(none)"]]""", "3|4|5|50")]
    public async Task Query_Filters_Exact(string filter, string expected)
    {
        var rows = await Results("\"visitors\", \"visits\", \"pageviews\", \"bounce_rate\"", $$""", "filters": [{{filter}}]""");
        Assert.Equal(expected, Row(rows.Single()));
    }

    [Theory]
    [InlineData("visit:source", "")]
    [InlineData("visit:country", "")]
    [InlineData("visit:entry_page", "")]
    [InlineData("visit:device", """, "filters": [["is_not", "visit:country", ["US"]]]""")]
    public async Task Query_VisitMetricsFromVisitsAlone_AgreeWithTheEventPath(string dimension, string filter)
    {
        // Visit metrics alone are answered from the visits table; adding an event metric takes the event path.
        const string metrics = "\"visitors\", \"visits\", \"bounce_rate\", \"visit_duration\", \"views_per_visit\"";
        var fast = await Results(metrics, $", \"dimensions\": [\"{dimension}\"]{filter}");
        var full = await Results(metrics + ", \"events\"", $", \"dimensions\": [\"{dimension}\"]{filter}");
        Assert.Equal(full.Select(r => string.Join("|", Row(r).Split('|').SkipLast(1))), fast.Select(Row));
        Assert.NotEmpty(fast);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", \"dimensions\": [\"time:hour\"]")]
    [InlineData(", \"dimensions\": [\"event:page\"]")]
    [InlineData(", \"dimensions\": [\"event:props:plan\"]")]
    public async Task Query_ShortcutPlans_AgreeWithTheFullPlan(string dimensions)
    {
        // Unfiltered totals and series, and event metrics by event dimensions, skip the event-to-visit join;
        // a filter that keeps every visit forces the full plan.
        var pageDimension = dimensions.Contains("event:");
        var metrics = pageDimension ? "\"visitors\", \"pageviews\", \"events\"" : "\"visitors\", \"visits\", \"pageviews\", \"events\", \"bounce_rate\", \"visit_duration\", \"views_per_visit\"";
        var fast = await Results(metrics, dimensions);
        var full = await Results(metrics, dimensions + ", \"filters\": [[\"is_not\", \"visit:country\", [\"ZZ\"]]]");
        Assert.NotEmpty(fast);
        Assert.Equal(full.Select(Row), fast.Select(Row));
    }

    [Fact]
    public async Task Query_MissingValues_ShownAsNone()
    {
        var rows = await Results("\"visitors\"", """, "dimensions": ["visit:utm_medium"]""");
        Assert.Equal(["(none)|3", "email|1"], rows.Select(Row));
    }

    [Fact]
    public async Task Query_CustomProperty_Breakdown()
    {
        var rows = await Results("\"visitors\", \"events\"", """, "dimensions": ["event:props:plan"], "filters": [["is", "event:name", ["Signup"]]]""");
        Assert.Equal(["pro|1|1"], rows.Select(Row));
    }

    [Fact]
    public async Task Query_ByHour_EventsInTheirHourVisitsWhereTheyStart()
    {
        var (_, body) = await fixture.QueryAsync($$$"""{"site_id": "{{{Site}}}", "metrics": ["visitors", "visits", "pageviews"], "date_range": {{{Day}}}, "dimensions": ["time:hour"], "include": {"time_labels": true}}""");
        Assert.Equal(["2026-10-10 10:00:00|1|1|2", "2026-10-10 11:00:00|1|1|1", "2026-10-10 12:00:00|1|2|2", "2026-10-10 13:00:00|1|1|1"], body["results"]!.AsArray().Select(Row));
        Assert.Equal(24, body["meta"]!["time_labels"]!.AsArray().Count);
    }

    [Fact]
    public async Task Query_PageEngagement_ScrollDepthAndTimeOnPage()
    {
        var rows = await Results("\"visitors\", \"scroll_depth\", \"time_on_page\"", """, "dimensions": ["event:page"], "filters": [["is", "event:page", ["/blog/post-2"]]]""");
        Assert.Equal("/blog/post-2|1|80|30", Row(rows.Single()));
    }

    [Fact]
    public async Task Query_PageEngagement_UnderAVisitFilter_OnlyTheFilteredVisitorsEngagement()
    {
        // A (Google) and D (Telegram) read /blog/post-1; only D's engagement was reported.
        const string Metrics = "\"visitors\", \"scroll_depth\", \"time_on_page\"";
        Assert.Equal(["/blog/post-1|2|40|10"], (await Results(Metrics, """, "dimensions": ["event:page"], "filters": [["is", "event:page", ["/blog/post-1"]]]""")).Select(Row));
        Assert.Equal(["/blog/post-1|1|40|10"], (await Results(Metrics, """, "dimensions": ["event:page"], "filters": [["is", "event:page", ["/blog/post-1"]], ["is", "visit:source", ["Telegram"]]]""")).Select(Row));
        Assert.Equal(["/blog/post-1|1|null|null", "/checkout|1|null|null", "/|1|null|null"],
            (await Results(Metrics, """, "dimensions": ["event:page"], "filters": [["is", "visit:source", ["Google"]]]""")).Select(Row).Order(StringComparer.Ordinal));
        Assert.Equal(["/blog/post-2|1|80|30"], (await Results(Metrics, """, "dimensions": ["event:page"], "filters": [["has_done", ["is", "event:goal", ["Scroll 75% on /blog/**"]]]]""")).Select(Row));
    }

    [Fact]
    public async Task Query_PageEngagement_WithoutDimensions_OverThePagesAFilterPicks()
    {
        // The blog: A, B and D read it; B's engagement (80%, 30 s) on post 2 and D's (40%, 10 s) on post 1.
        const string Metrics = "\"visitors\", \"scroll_depth\", \"time_on_page\"";
        Assert.Equal(["3|60|20"], (await Results(Metrics, """, "filters": [["contains", "event:page", ["/blog/"]]]""")).Select(Row));
        Assert.Equal(["1|40|10"], (await Results(Metrics, """, "filters": [["contains", "event:page", ["/blog/"]], ["is", "visit:source", ["Telegram"]]]""")).Select(Row));
        Assert.Equal(["1|null|null"], (await Results(Metrics, """, "filters": [["is", "event:page", ["/pricing"]]]""")).Select(Row));
        var (status, body) = await fixture.QueryAsync($$"""{"site_id": "{{Site}}", "metrics": ["scroll_depth"], "date_range": {{Day}}, "filters": [["is", "visit:source", ["Google"]]]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("without dimensions under an event:page filter", (string)body["error"]!);
    }

    [Fact]
    public async Task Query_PageEngagement_InAVisitThatEndedBeforeThePeriod()
    {
        // F's engagement at 15:20 belongs to the visit of 14:50, which ended before the period; the visit of 15:25 brings the page in.
        var (status, body) = await fixture.QueryAsync($$"""
            {"site_id": "{{QueryFixture.LateDomain}}", "metrics": ["visitors", "pageviews", "scroll_depth", "time_on_page"],
             "date_range": ["2026-10-10T15:00:00Z", "2026-10-10T16:00:00Z"], "dimensions": ["event:page"],
             "filters": [["is", "visit:device", ["Mobile"]]]}
            """, fixture.LateKey);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(["/story|1|1|60|45"], body["results"]!.AsArray().Select(Row));
    }

    [Fact]
    public async Task Query_CompareWithPreviousPeriod_ChangeInPercent()
    {
        var (_, body) = await fixture.QueryAsync($$$$"""{"site_id": "{{{{Site}}}}", "metrics": ["visitors", "bounce_rate"], "date_range": {{{{Day}}}}, "include": {"comparisons": {"mode": "previous_period"}}}""");
        var comparison = body["results"]![0]!["comparison"]!;
        Assert.Equal("[1,100]", comparison["metrics"]!.ToJsonString());
        Assert.Equal("[300,-40]", comparison["change"]!.ToJsonString());
        Assert.Equal("2026-10-09T00:00:00+00:00", (string)body["meta"]!["comparison_date_range"]![0]!);
    }

    [Fact]
    public async Task Query_CompareByHourAndAnotherDimension_EachRowAgainstTheSameHourBefore()
    {
        var (status, body) = await fixture.QueryAsync($$$$"""{"site_id": "{{{{Site}}}}", "metrics": ["visitors"], "date_range": {{{{Day}}}}, "dimensions": ["time:hour", "visit:device"], "include": {"comparisons": {"mode": "previous_period"}}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var first = body["results"]![0]!;
        Assert.Equal("2026-10-10 10:00:00|Desktop|1", Row(first));
        // The day before had a visit at 09:00 only, so 10:00 compares with an empty 10:00 of that day.
        Assert.Equal("""["2026-10-09 10:00:00","Desktop"]""", first["comparison"]!["dimensions"]!.ToJsonString());
        Assert.Equal("[0]", first["comparison"]!["metrics"]!.ToJsonString());
    }

    [Fact]
    public async Task Query_CompareWithCustomPeriod_ThoseDays()
    {
        // Two days before: only visitor E (the 9th, a bounce); the 8th is empty.
        var (status, body) = await fixture.QueryAsync($$$$"""{"site_id": "{{{{Site}}}}", "metrics": ["visitors", "pageviews"], "date_range": {{{{Day}}}}, "include": {"comparisons": {"mode": "custom", "date_range": ["2026-10-08", "2026-10-09"]}}}""");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        var comparison = body["results"]![0]!["comparison"]!;
        Assert.Equal("[1,1]", comparison["metrics"]!.ToJsonString());
        Assert.Equal("[300,500]", comparison["change"]!.ToJsonString());
        Assert.Equal(["2026-10-08T00:00:00+00:00", "2026-10-10T00:00:00+00:00"], body["meta"]!["comparison_date_range"]!.AsArray().Select(d => (string)d!));
    }

    [Fact]
    public async Task Query_CompareMatchingTheDayOfWeek_StartsOnTheSameWeekday()
    {
        // 2026-10-10 is a Saturday; a year before is a Friday, so the comparison moves to Saturday 2025-10-11.
        var (_, body) = await fixture.QueryAsync($$$$"""{"site_id": "{{{{Site}}}}", "metrics": ["visitors"], "date_range": {{{{Day}}}}, "include": {"comparisons": {"mode": "year_over_year", "match_day_of_week": true}}}""");
        Assert.Equal(["2025-10-11T00:00:00+00:00", "2025-10-12T00:00:00+00:00"], body["meta"]!["comparison_date_range"]!.AsArray().Select(d => (string)d!));
        Assert.Equal("[0]", body["results"]![0]!["comparison"]!["metrics"]!.ToJsonString());
    }

    [Fact]
    public async Task Query_SegmentFilter_TheSavedFilters()
    {
        // The same numbers as the filters typed out: RU is visitors A, C and D; mobile on a blog page is B only.
        var russia = await Results("\"visitors\", \"visits\", \"pageviews\", \"bounce_rate\"", $$""", "filters": [["is", "segment", [{{fixture.RussiaSegment}}]]]""");
        Assert.Equal("3|4|5|50", Row(russia.Single()));
        var mobileBlog = await Results("\"visitors\"", $$""", "filters": [["is", "segment", [{{fixture.MobileBlogSegment}}]]]""");
        Assert.Equal("1", Row(mobileBlog.Single()));
        // Several segments: visitors in any of them.
        var either = await Results("\"visitors\"", $$""", "filters": [["is", "segment", [{{fixture.RussiaSegment}}, {{fixture.MobileBlogSegment}}]]]""");
        Assert.Equal("4", Row(either.Single()));
    }

    [Fact]
    public async Task Query_RegionAndCityNames_SameAsRegionAndCity()
    {
        var names = await Results("\"visitors\"", """, "dimensions": ["visit:region_name", "visit:city_name"]""");
        var plain = await Results("\"visitors\"", """, "dimensions": ["visit:region", "visit:city"]""");
        Assert.Equal(plain.Select(Row), names.Select(Row));
    }

    [Fact]
    public async Task Query_IncludeImports_SaysNoneWereIncluded()
    {
        var (status, body) = await fixture.QueryAsync($$$"""{"site_id": "{{{Site}}}", "metrics": ["visitors"], "date_range": {{{Day}}}, "include": {"imports": true}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((bool)body["meta"]!["imports_included"]!);
        Assert.Equal("4", Row(body["results"]![0]));
    }

    [Fact]
    public async Task Query_ByTheMinute_EveryMinuteLabelled()
    {
        // Visitor A's visit: a pageview at 10:00 and 10:02, Signup at 10:03, Purchase at 10:04.
        var (status, body) = await fixture.QueryAsync($$$"""{"site_id": "{{{Site}}}", "metrics": ["events", "pageviews"], "date_range": ["2026-10-10T10:00:00+00:00", "2026-10-10T10:05:00+00:00"], "dimensions": ["time:minute"], "include": {"time_labels": true}}""");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(["2026-10-10 10:00:00|1|1", "2026-10-10 10:02:00|1|1", "2026-10-10 10:03:00|1|0", "2026-10-10 10:04:00|1|0"], body["results"]!.AsArray().Select(Row));
        Assert.Equal(5, body["meta"]!["time_labels"]!.AsArray().Count);
        Assert.Equal("2026-10-10 10:01:00", (string)body["meta"]!["time_labels"]![1]!);
    }

    [Fact]
    public async Task Query_OrderAndPagination_TotalRows()
    {
        var (_, body) = await fixture.QueryAsync($$$"""{"site_id": "{{{Site}}}", "metrics": ["pageviews"], "date_range": {{{Day}}}, "dimensions": ["event:page"], "order_by": [["pageviews", "desc"], ["event:page", "asc"]], "pagination": {"limit": 2, "offset": 1}, "include": {"total_rows": true}}""");
        Assert.Equal(["/blog/post-1|2", "/blog/post-2|1"], body["results"]!.AsArray().Select(Row));
        // Custom events happen on pages too: /checkout (two purchases) is the fifth page.
        Assert.Equal(5, (int)body["meta"]!["total_rows"]!);
    }

    [Fact]
    public async Task Query_Percentage_ShareOfVisitors()
    {
        var rows = await Results("\"visitors\", \"percentage\"", """, "dimensions": ["visit:device"]""");
        Assert.Equal(["Desktop|2|50", "Mobile|2|50"], rows.Select(Row));
    }

    [Fact]
    public async Task Query_Csv_HeaderAndRows()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/query?format=csv")
        {
            Content = new StringContent($$"""{"site_id": "{{Site}}", "metrics": ["visitors"], "date_range": {{Day}}, "dimensions": ["visit:country_name"]}"""),
        };
        request.Headers.Authorization = new("Bearer", fixture.Key);
        using var response = await fixture.Server.Http.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("visit:country_name,visitors\nRussia,3\nUnited States,1\n", (await response.Content.ReadAsStringAsync()).Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitorz"], "date_range": "7d"}""", "visitorz")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "dimensions": ["visit:shoe"]}""", "visit:shoe")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "filters": [["equals", "visit:source", ["x"]]]}""", "equals")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": ["2026-13-01", "2026-13-02"]}""", "date_range")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "fortnight"}""", "fortnight")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["conversion_rate"], "date_range": "7d"}""", "conversion_rate")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "filters": [["is", "event:goal", ["Nope"]]]}""", "Nope")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "order_by": [["pageviews", "desc"]]}""", "order_by")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "filters": [["matches", "event:page", ["("]]]}""", "regular expression")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "pagination": {"limit": 0}}""", "limit")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "pagination": {"limit": "x"}}""", "limit")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "pagination": {"limit": 5, "offset": "2"}}""", "offset")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "order_by": [["visitors", 1]]}""", "order_by")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": ["0001-01-01", "9999-12-31"]}""", "1970-01-01")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": ["0001-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]}""", "1970-01-01")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "include": {"comparisons": {"mode": 1}}}""", "comparisons")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "include": {"comparisons": {"mode": "custom"}}}""", "date_range")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "include": {"comparisons": {"mode": "custom", "date_range": ["2026-10-09", "2026-10-01"]}}}""", "before the start")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "include": {"comparisons": {"mode": "previous_period", "date_range": ["2026-10-01", "2026-10-09"]}}}""", "custom mode only")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "include": {"comparisons": {"mode": "previous_period", "match_day_of_week": "yes"}}}""", "match_day_of_week")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "filters": [["is", "segment", [999999]]]}""", "segment 999999")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "dimensions": ["time:minute"]}""", "time:minute")]
    [InlineData("""{"site_id": "contract.example", "metrics": ["visitors"], "date_range": "7d", "filters": [["is", "segment", ["Russia"]]]}""", "ids")]
    public async Task Query_Invalid_400NamingTheField(string json, string expected)
    {
        var (status, body) = await fixture.QueryAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string)body["error"]!);
    }

    [Fact]
    public async Task Query_SiteOrKey_404And401()
    {
        var (unknown, _) = await fixture.QueryAsync("""{"site_id": "nope.example", "metrics": ["visitors"], "date_range": "7d"}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        var (badKey, _) = await fixture.QueryAsync($$"""{"site_id": "{{Site}}", "metrics": ["visitors"], "date_range": "7d"}""", "pk_nope");
        Assert.Equal(HttpStatusCode.Unauthorized, badKey);
    }
}

/// <summary>The contract on the embedded store (DuckDB).</summary>
public sealed class QueryContractTests(QueryFixture fixture) : QueryContract<QueryFixture>(fixture), IClassFixture<QueryFixture>;

/// <summary>The same contract, the same numbers, on ClickHouse with two shards.</summary>
[Collection(Support.ClickHouseCollection.Name)]
public sealed class ClickHouseQueryContractTests(ClickHouseQueryFixture fixture) : QueryContract<ClickHouseQueryFixture>(fixture), IClassFixture<ClickHouseQueryFixture>
{
    [Fact]
    public async Task Reports_ComeFromClickHouse_WithTheEventsSpreadOverTheShards()
    {
        var store = Assert.IsType<Panorama.Storage.ClickHouse.ClickHouseEventStore>(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Panorama.Core.Reports.Query.IQueryEngine>(Fixture.Server.Services));
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Panorama.Core.Ingestion.EventBatchWriter>(Fixture.Server.Services)
            .WaitUntilStoredAsync(CancellationToken.None);
        var perShard = new List<long>();
        foreach (var shard in store.Shards) perShard.Add(await shard.ScalarAsync("SELECT count() FROM events_local", CancellationToken.None));
        // 12 of the contract site, 3 of the late one.
        Assert.Equal(15, perShard.Sum());
        Assert.Equal(15, await store.Shards[0].ScalarAsync("SELECT count() FROM events", CancellationToken.None));
        // The day before's visit (E) and A's are built; the hours after 10:00 are cut when a report asks.
        Assert.Equal(2, Fixture.BuiltHours);
        Assert.Equal(2, await store.Shards[0].ScalarAsync("SELECT count() FROM visits", CancellationToken.None));
    }
}

/// <summary>The same contract on one ClickHouse server.</summary>
[Collection(Support.ClickHouseCollection.Name)]
public sealed class OneServerClickHouseQueryContractTests(OneClickHouseServerQueryFixture fixture)
    : QueryContract<OneClickHouseServerQueryFixture>(fixture), IClassFixture<OneClickHouseServerQueryFixture>;
