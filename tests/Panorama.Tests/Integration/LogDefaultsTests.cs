using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>What the server logs unless told otherwise: its own information, the framework's warnings, no line per request.</summary>
public sealed class LogDefaultsTests
{
    [Fact]
    public async Task ByDefault_NoRequestLines_AndPanoramasOwnInformation()
    {
        await using var server = await TestServer.StartAsync();
        var loggers = server.Services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.EntityFrameworkCore.Database.Command").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Panorama.Core.Ingestion.EventBatchWriter").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task Settings_OverrideTheDefaults()
    {
        await using var server = await TestServer.StartAsync("--Logging:LogLevel:Microsoft.AspNetCore=Information",
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information");
        var loggers = server.Services.GetRequiredService<ILoggerFactory>();
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
    }
}
