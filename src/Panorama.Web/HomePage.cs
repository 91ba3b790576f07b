namespace Panorama.Web;

/// <summary>The landing page until the dashboard exists: how to add the tracker and read the API.</summary>
static class HomePage
{
    public const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Panorama</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}pre{padding:.75rem;overflow:auto}footer{margin-top:3rem;color:#6b7280;font-size:.85rem}</style>
        </head><body>
        <h1>Panorama</h1>
        <p>Privacy-first web analytics. Add a site with <code>panorama sites add shop.example</code>, then put this in your pages:</p>
        <pre>&lt;script defer data-domain="shop.example" src="ORIGIN/js/script.js"&gt;&lt;/script&gt;</pre>
        <p>Read the numbers with an API key (<code>panorama keys create --name me</code>):</p>
        <pre>curl -H "Authorization: Bearer KEY" "ORIGIN/api/v1/stats/summary?site_id=shop.example&amp;period=7d"</pre>
        <footer>Country data: ip-location-db (CC0), built from RIR data by the NRO (CC BY 4.0). Browser data: uap-core (Apache-2.0).</footer>
        <script>document.body.innerHTML=document.body.innerHTML.replaceAll('ORIGIN',location.origin)</script>
        </body></html>
        """;
}
