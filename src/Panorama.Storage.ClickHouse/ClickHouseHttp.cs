using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Panorama.Storage.ClickHouse;

/// <summary>
/// One ClickHouse server over its HTTP interface: statements in the body, settings as URL parameters, rows back as
/// tab-separated text. Speaks the subset that 18.16 and current releases share (the official driver needs newer servers).
/// </summary>
public sealed class ClickHouseHttp(HttpClient http, Uri endpoint, string database, string user, string password)
{
    public Uri Endpoint => endpoint;

    HttpRequestMessage Request(string query, HttpContent? body, IReadOnlyDictionary<string, string>? settings, bool databaseless = false)
    {
        var url = new StringBuilder(endpoint.ToString().TrimEnd('/')).Append("/?database=").Append(Uri.EscapeDataString(databaseless ? "default" : database));
        if (body is not null) url.Append("&query=").Append(Uri.EscapeDataString(query));
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            url.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        var request = new HttpRequestMessage(HttpMethod.Post, url.ToString()) { Content = body ?? new StringContent(query, Encoding.UTF8) };
        request.Headers.Add("X-ClickHouse-User", user);
        if (password.Length > 0) request.Headers.Add("X-ClickHouse-Key", password);
        return request;
    }

    /// <summary>Runs a statement; a server error becomes a <see cref="ClickHouseException"/> with the server's message.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null, bool databaseless = false)
    {
        using var response = await http.SendAsync(Request(sql, null, settings, databaseless), cancellationToken);
        await EnsureSuccessAsync(response, sql, cancellationToken);
    }

    /// <summary>Runs a query and returns its rows, each as its tab-separated fields (unescaped).</summary>
    public async Task<List<string[]>> QueryAsync(string sql, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        using var response = await http.SendAsync(Request(sql + "\nFORMAT TabSeparated", null, settings), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, sql, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var rows = new List<string[]>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            rows.Add(line.Split('\t').Select(Unescape).ToArray());
        }
        return rows;
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken) =>
        (await QueryAsync(sql, cancellationToken)) is [[var value, ..], ..] ? long.Parse(value, CultureInfo.InvariantCulture) : 0;

    /// <summary>Sends one block already encoded in Native format as one INSERT (all or nothing on the server).</summary>
    public async Task InsertNativeAsync(string table, string columns, byte[] rows, int length, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(rows, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var sql = $"INSERT INTO {table} ({columns}) FORMAT Native";
        using var response = await http.SendAsync(Request(sql, content, null), cancellationToken);
        await EnsureSuccessAsync(response, sql, cancellationToken);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(endpoint, "/ping"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, string sql, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var message = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new ClickHouseException($"ClickHouse answered {(int)response.StatusCode}: {message.Trim()}\nStatement: {sql[..Math.Min(sql.Length, 500)]}");
    }

    /// <summary>TabSeparated escapes: \t \n \\ \0 and friends.</summary>
    static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal) || field == "\\N") return field; // \N is NULL, left as it is
        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\' || i + 1 == field.Length) { text.Append(field[i]); continue; }
            var next = field[++i];
            text.Append(next switch { 't' => '\t', 'n' => '\n', 'r' => '\r', '0' => '\0', 'b' => '\b', 'f' => '\f', _ => next });
        }
        return text.ToString();
    }
}

public sealed class ClickHouseException(string message) : Exception(message);
