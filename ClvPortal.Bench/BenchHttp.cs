using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ClvPortal.Bench;

/// <summary>
/// What the bench commands do as a signed-in browser would against a <see cref="PortalProcess"/>: sign up,
/// sign in, read a form's antiforgery token, upload a file to the streaming endpoint.
/// </summary>
internal static partial class BenchHttp
{
    public const string Password = "Bench-Password-1";

    /// <summary>
    /// A client with its own cookies and connections, like one browser, coming from <paramref name="clientAddress"/>.
    /// Redirects are not followed: a page view is one request.
    /// </summary>
    public static HttpClient NewClient(Uri baseAddress, IPAddress clientAddress, TimeSpan timeout) =>
        new(new BehindProxyHandler(clientAddress)) { BaseAddress = baseAddress, Timeout = timeout };

    /// <summary>
    /// The address of virtual client number <paramref name="n"/> (below 64,516), in 198.18.0.0/15, the range
    /// reserved for benchmark tests (RFC 2544): each virtual user is its own client, as real users are.
    /// </summary>
    public static IPAddress ClientAddress(int n) => new([198, 18, (byte)(n / 254), (byte)(1 + n % 254)]);

    /// <summary>Registers a new account (which also signs this client in) and returns its email.</summary>
    public static async Task<string> SignUpAsync(HttpClient http)
    {
        var token = Token(await http.GetStringAsync(new Uri("/Identity/Account/Register", UriKind.Relative)));
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await http.PostAsync(new Uri("/Identity/Account/Register", UriKind.Relative), form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing up returned {(int)response.StatusCode}.");
        }

        return email;
    }

    /// <summary>Opens the sign-in page and posts its form; the answer is a redirect when the password was accepted.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string email)
    {
        var token = Token(await http.GetStringAsync(new Uri("/Identity/Account/Login", UriKind.Relative)));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.RememberMe"] = "false",
            ["__RequestVerificationToken"] = token,
        });
        return await http.PostAsync(new Uri("/Identity/Account/Login", UriKind.Relative), form);
    }

    /// <summary>The antiforgery token of the upload page, which the upload endpoint checks before storing a byte.</summary>
    public static async Task<string> UploadTokenAsync(HttpClient http) =>
        Token(await http.GetStringAsync(new Uri("/Analyses/New", UriKind.Relative)));

    /// <summary>A <c>POST /Analyses/Upload</c> of a generated CSV of <paramref name="bytes"/>, as the upload page's script sends it.</summary>
    public static HttpRequestMessage UploadRequest(string token, long bytes)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("12"), "HorizonMonths" },
            { new GeneratedCsvContent(bytes), "file", "bench.csv" },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/Analyses/Upload", UriKind.Relative)) { Content = form };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>True for a redirect to the sign-in page: the session is gone, which no page view should cause.</summary>
    public static bool IsSignInRedirect(HttpResponseMessage response) =>
        response.Headers.Location?.OriginalString.Contains("/Identity/Account/Login", StringComparison.OrdinalIgnoreCase) == true;

    public static string Token(string html) =>
        TokenInput().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    /// <summary>
    /// A browser behind the portal's TLS-terminating proxy, as production runs: the browser's origin is https,
    /// so it keeps and sends back the Secure session and antiforgery cookies that Production sets, and the proxy
    /// adds <c>X-Forwarded-Proto: https</c> and the client's address (<c>X-Forwarded-For</c>) to each request.
    /// The web process trusts those headers because they come from loopback (see <c>Portal:Proxy</c>).
    /// </summary>
    private sealed class BehindProxyHandler(IPAddress client) : DelegatingHandler(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        private readonly CookieContainer _cookies = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var origin = new UriBuilder(request.RequestUri!) { Scheme = Uri.UriSchemeHttps }.Uri;
            if (_cookies.GetCookieHeader(origin) is { Length: > 0 } cookies)
            {
                request.Headers.Add("Cookie", cookies);
            }

            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", client.ToString());
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    _cookies.SetCookies(origin, setCookie);
                }
            }

            return response;
        }
    }
}
