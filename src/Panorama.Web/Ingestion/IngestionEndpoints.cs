using System.Buffers;
using System.IO.Pipelines;
using Panorama.Core.Access;
using Panorama.Core.Ingestion;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;

namespace Panorama.Web.Ingestion;

/// <summary>
/// <c>POST /api/event</c> (Plausible's event API) and <c>POST /api/send</c> (Umami's). A 2xx is sent only
/// after the event's batch is committed; a 4xx names what is wrong and nothing is stored.
/// </summary>
public static class IngestionEndpoints
{
    /// <summary>
    /// The routes, for the API description and for CORS preflight requests. Their POSTs are answered ahead of the
    /// middleware pipeline (<see cref="UseIngestion"/>), which they do not need.
    /// </summary>
    public static IEndpointRouteBuilder MapIngestion(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireCors(PanoramaServer.TrackerCorsPolicy).WithTags("Ingestion");
        group.MapPost("/event", PostPlausibleEvent);
        group.MapPost("/send", PostUmamiEvent);
        return app;
    }

    /// <summary>
    /// Answers the ingestion POSTs first in the pipeline. A request waits for its group commit, and every middleware it
    /// passed through resumes after that wait: the exception handler, status pages, localization, CORS, authentication
    /// and authorization cost ~15% of an ingested request's CPU under load, for nothing ingestion uses (it checks its own
    /// API keys and rate limit, and answers CORS for any origin). bench/README.md has the measurements.
    /// </summary>
    public static IApplicationBuilder UseIngestion(this IApplicationBuilder app)
    {
        // The same services the mapped routes get through [AsParameters], resolved once (all singletons).
        var services = ActivatorUtilities.CreateInstance<Services>(app.ApplicationServices);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IngestionEndpoints));
        return app.Use(next => http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method)) return next(http);
            var path = http.Request.Path;
            if (IsRoute(path, "/api/event")) return Answer(http, PostPlausibleEvent(http, services), logger);
            if (IsRoute(path, "/api/send")) return Answer(http, PostUmamiEvent(http, services), logger);
            return next(http);
        });
    }

    static bool IsRoute(PathString path, string route) =>
        path.Value is { } value && value.Length - route.Length is 0 or 1 && value.StartsWith(route, StringComparison.OrdinalIgnoreCase)
        && (value.Length == route.Length || value[^1] == '/');

    static async Task Answer(HttpContext http, Task<IResult> answering, ILogger logger)
    {
        // What the CORS middleware would add for the tracker's policy (any origin, no credentials).
        if (http.Request.Headers.Origin.Count > 0) http.Response.Headers.AccessControlAllowOrigin = "*";
        IResult result;
        try
        {
            result = await answering;
        }
        catch (Exception exception)
        {
            // The pipeline's exception handler is not in front of this: answer as it would.
            logger.LogError(exception, "Ingesting an event failed");
            if (http.Response.HasStarted) return;
            http.Response.Clear();
            if (http.Request.Headers.Origin.Count > 0) http.Response.Headers.AccessControlAllowOrigin = "*";
            result = Problems.Of(StatusCodes.Status500InternalServerError, "Internal error", "The event could not be taken; retry later.");
        }
        await result.ExecuteAsync(http);
    }

    public sealed record Services(
        SiteDirectory Sites,
        ApiKeyService Keys,
        SaltStore Salts,
        EventEnricher Enricher,
        IngestionQueue Queue,
        ClientIpResolver ClientIp,
        IngestionRateLimiter RateLimiter,
        TimeProvider Time,
        EventSpool Spool,
        Microsoft.Extensions.Options.IOptions<PanoramaOptions> Options);

    static Task<IResult> PostPlausibleEvent(HttpContext http, [AsParameters] Services services) =>
        Ingest(http, services, body => EventPayloadReader.ReadPlausible(body), PlausibleAccepted);

    // Plausible answers 202 "ok" as text, Umami 200 {"ok":true}.
    static readonly IResult PlausibleAccepted = new FixedAnswer(StatusCodes.Status202Accepted, "text/plain; charset=utf-8", "ok"u8.ToArray());
    static readonly IResult UmamiAccepted = new FixedAnswer(StatusCodes.Status200OK, "application/json; charset=utf-8", """{"ok":true}"""u8.ToArray());

    /// <summary>
    /// A success answer written as fixed bytes: through <c>Results.Text</c> or <c>Results.Json</c> every request parsed the
    /// content type again or ran the serializer (bench README, session 16).
    /// </summary>
    sealed class FixedAnswer(int status, string contentType, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = contentType;
            http.Response.ContentLength = body.Length;
            return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
        }
    }

    static Task<IResult> PostUmamiEvent(HttpContext http, [AsParameters] Services services) =>
        Ingest(http, services, body => EventPayloadReader.ReadUmami(body, website =>
            Guid.TryParse(website, out var id) ? services.Sites.FindByPublicId(id)?.Domain : null), UmamiAccepted);

    delegate EventPayloadReader.Result Reader(ReadOnlySpan<byte> body);

    static async Task<IResult> Ingest(HttpContext http, Services services, Reader read, IResult success)
    {
        var request = http.Request;
        if (request.ContentLength > EventLimits.MaxBodyBytes) return TooLarge();
        // Reads until one byte past the limit or the end of the body, whichever comes first.
        ReadResult body;
        try
        {
            body = await request.BodyReader.ReadAtLeastAsync(EventLimits.MaxBodyBytes + 1, http.RequestAborted);
        }
        catch (BadHttpRequestException exception)
        {
            return Problems.Of(exception.StatusCode, "Invalid request", exception.Message);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException || http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        try
        {
            if (body.Buffer.Length > EventLimits.MaxBodyBytes) return TooLarge();
            var parsed = body.Buffer.IsSingleSegment ? read(body.Buffer.FirstSpan) : read(body.Buffer.ToArray());
            if (parsed.Ignored) return success;
            if (parsed.Rejection is { } rejection) return Problems.Of(rejection.Status, rejection.Title, rejection.Detail);
            return await Accept(http, services, parsed.Event!, success);
        }
        finally
        {
            request.BodyReader.AdvanceTo(body.Buffer.End);
        }
    }

    static async Task<IResult> Accept(HttpContext http, Services services, IncomingEvent incoming, IResult success)
    {
        ApiKey? key = null;
        var token = BearerToken.From(http.Request);
        if (token is not null)
        {
            key = services.Keys.Verify(token);
            if (key is null) return Problems.Unauthorized("The API key is not valid.");
        }

        var clientIp = key is not null && incoming.IpOverride is not null ? incoming.IpOverride : services.ClientIp.Resolve(http);
        if (key is null && !services.RateLimiter.TryAcquire(clientIp))
        {
            http.Response.Headers.RetryAfter = "1";
            return Problems.Of(StatusCodes.Status429TooManyRequests, "Too many events", "This client sends events faster than the configured limit.");
        }
        var userAgent = key is not null && incoming.UserAgentOverride is not null ? incoming.UserAgentOverride : http.Request.Headers.UserAgent.ToString();
        var now = services.Time.GetUtcNow();
        var timestamp = key is not null && incoming.TimestampOverride is { } when ? when : now;
        if (timestamp - now > EventLimits.MaxFutureSkew) return Problems.BadRequest("'timestamp' is in the future.");
        if (services.Options.Value.Events.RetentionMonths is > 0 and var months && timestamp.UtcDateTime < EventRetention.Cutoff(now, months))
            return Problems.BadRequest($"'timestamp' is before {EventRetention.Cutoff(now, months):yyyy-MM-dd}, where the {months}-month retention begins.");

        var sites = new List<Site>(incoming.Domains.Count);
        foreach (var domain in incoming.Domains)
        {
            var normalized = SiteDomain.Normalize(domain);
            var site = normalized is null ? null : services.Sites.FindByDomain(normalized);
            if (site is null) continue;
            if (key is not null && !key.CanRead(site.Id))
                return Problems.Of(StatusCodes.Status403Forbidden, "Forbidden", $"The API key has no access to site '{site.Domain}'.");
            sites.Add(site);
        }
        if (sites.Count == 0)
            return Problems.NotFound($"No site is registered for domain '{string.Join(",", incoming.Domains)}'. Add it with 'panorama sites add'.");

        var context = new RequestContext(clientIp, userAgent, timestamp);
        var events = new List<EnrichedEvent>(sites.Count);
        foreach (var site in sites)
        {
            var (outcome, enriched) = services.Enricher.Enrich(incoming, site, context, services.Salts.ForDay);
            if (outcome != EventEnricher.Outcome.Accepted)
            {
                services.Queue.CountDropped();
                http.Response.Headers["X-Panorama-Dropped"] = outcome == EventEnricher.Outcome.Bot ? "bot" : "spam";
                return success;
            }
            // The site's exclusions drop its copy only: an event sent to several sites still counts on the others.
            if (site.Shield() is { IsEmpty: false } shield && shield.Excludes(clientIp, enriched!.Hostname, enriched.Pathname, enriched.Country)) continue;
            events.Add(enriched!);
        }
        if (events.Count == 0)
        {
            services.Queue.CountDropped();
            http.Response.Headers["X-Panorama-Dropped"] = "excluded";
            return success;
        }

        if (services.Spool.Bytes >= services.Options.Value.Ingestion.MaxSpoolBytes)
        {
            // The store has not taken events for a while and the local spool reached its bound: refuse, never drop.
            http.Response.Headers.RetryAfter = "30";
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "Spool full",
                "The event store is not taking events and this node's local spool is full; send the event again later.");
        }
        try
        {
            await services.Queue.EnqueueAndWaitAsync(events, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "Event store unavailable", "The event could not be stored; retry later.");
        }
        return success;
    }

    static IResult TooLarge() =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "Event too large", $"An event body may be at most {EventLimits.MaxBodyBytes} bytes.");
}
