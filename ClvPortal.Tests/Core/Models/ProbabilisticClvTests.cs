using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

[Trait("Category", "Unit")]
public sealed class ProbabilisticClvTests
{
    private static readonly BgNbdParameters Cdnow = new(0.242593, 4.413532, 0.792886, 2.425752);

    [Fact]
    public void CustomerLifetimeValue_LifetimesQuickstartCustomer1_Is140()
    {
        // lifetimes Quickstart: ggf.customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01)
        // gives 140.096211 for customer 1 (x = 2, t_x = 30.43, T = 38.86, expected value 24.658619).
        // lifetimes' default freq "D" steps 30 units per month, on this weekly data.
        var clv = ProbabilisticClv.CustomerLifetimeValue(Cdnow, 24.658619, 2, 30.43, 38.86, 12, 30, 0.01);

        Assert.Equal(140.096211, clv, 1e-4);
    }

    [Fact]
    public void CustomerLifetimeValue_NoDiscount_IsPurchasesTimesValue()
    {
        var clv = ProbabilisticClv.CustomerLifetimeValue(Cdnow, 20, 2, 30.43, 38.86, 12, ProbabilisticClv.WeeksPerMonth, 0);

        Assert.Equal(20 * Cdnow.ConditionalExpectedPurchases(12 * ProbabilisticClv.WeeksPerMonth, 2, 30.43, 38.86), clv, 1e-9);
    }

    [Fact]
    public void CustomerLifetimeValue_Discounted_IsLessThanUndiscounted()
    {
        var undiscounted = ProbabilisticClv.CustomerLifetimeValue(Cdnow, 20, 2, 30.43, 38.86, 12, ProbabilisticClv.WeeksPerMonth, 0);
        var discounted = ProbabilisticClv.CustomerLifetimeValue(Cdnow, 20, 2, 30.43, 38.86, 12, ProbabilisticClv.WeeksPerMonth, 0.01);

        Assert.InRange(discounted, 0.9 * undiscounted, 0.99 * undiscounted);
    }
}
