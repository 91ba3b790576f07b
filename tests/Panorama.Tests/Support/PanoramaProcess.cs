using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Panorama.Tests.Support;

/// <summary>The real <c>panorama</c> executable as a child process, for CLI tests and crash tests.</summary>
public sealed class PanoramaProcess : IDisposable
{
    static string Executable => Path.Combine(AppContext.BaseDirectory, "panorama.dll");

    readonly Process process;
    public string BaseUrl { get; }

    PanoramaProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>Runs a CLI command to completion; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>panorama serve</c> on a free port and waits until it answers.</summary>
    public static async Task<PanoramaProcess> StartServerAsync(string dataDirectory)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var process = Process.Start(StartInfo(["serve", "--data", dataDirectory, "--urls", url]))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"panorama exited with {process.ExitCode} while starting");
            try
            {
                using var response = await http.GetAsync(url + "/healthz");
                if (response.IsSuccessStatusCode) return new PanoramaProcess(process, url);
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("panorama did not start within 60 s");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — what a crash or an OOM kill does.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Executable);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_gcServer"] = "0";
        return info;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
    }
}
