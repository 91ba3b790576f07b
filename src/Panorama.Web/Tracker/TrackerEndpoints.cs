namespace Panorama.Web.Tracker;

public static class TrackerEndpoints
{
    public static IEndpointRouteBuilder MapTracker(this IEndpointRouteBuilder app)
    {
        app.MapGet("/js/script.js", Serve);
        app.MapGet("/js/panorama.js", Serve);
        return app;
    }

    static IResult Serve(HttpContext http, TrackerScript script)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "public, max-age=86400, must-revalidate";
        headers.ETag = script.ETag;
        headers.AccessControlAllowOrigin = "*";
        headers.Vary = "Accept-Encoding";
        if (http.Request.Headers.IfNoneMatch == script.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(script.Gzipped, "application/javascript; charset=utf-8");
        }
        return Results.Bytes(script.Plain, "application/javascript; charset=utf-8");
    }
}
