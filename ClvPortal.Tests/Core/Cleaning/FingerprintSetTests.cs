using ClvPortal.Core.Cleaning;

namespace ClvPortal.Tests.Core.Cleaning;

[Trait("Category", "Slow")]
public sealed class FingerprintSetTests
{
    [Fact]
    public void Add_MillionValuesThroughManyResizes_FindsEveryRepeatAndNoFalseOne()
    {
        var set = new FingerprintSet();
        var random = new Random(11);
        var values = new ulong[1_000_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ulong)random.NextInt64() << 1; // distinct with overwhelming probability; zero included below
        }

        values[12_345] = 0;

        Assert.All(values.Distinct(), v => Assert.True(set.Add(v)));
        Assert.Equal(values.Distinct().Count(), set.Count);
        Assert.DoesNotContain(values, v => set.Add(v));
    }
}
