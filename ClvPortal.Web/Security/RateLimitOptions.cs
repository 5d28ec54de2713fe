namespace ClvPortal.Web.Security;

/// <summary>
/// <c>Portal:RateLimits</c>: how many sign-in, sign-up and account-email POSTs one client IP may
/// make per window, so password guessing and mail bombing stay slow even across many accounts
/// (Identity's lockout only protects one account at a time).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Portal:RateLimits";

    /// <summary>Default true. False turns the limit off (load tests from one address).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>POSTs allowed per window and client IP. Default 10: a person mistyping a password never gets there.</summary>
    public int PermitLimit { get; set; } = 10;

    /// <summary>Window length in seconds. Default 60.</summary>
    public int WindowSeconds { get; set; } = 60;
}
