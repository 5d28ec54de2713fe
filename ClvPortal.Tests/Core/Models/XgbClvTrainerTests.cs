using ClvPortal.Core;
using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

[Trait("Category", "Integration")]
public sealed class XgbClvTrainerTests
{
    [Fact]
    public void Train_CustomerWithoutHoldoutRevenue_IsRefusedNamingTheCustomer()
    {
        var customers = SyntheticCustomers.Generate(200, seed: 11).ToList();
        customers[17] = customers[17] with { HoldoutRevenue = null };

        var problem = Assert.Throws<InputProblemException>(() => XgbClvTrainer.Train(customers, new XgbTrainingOptions())).Problem;

        Assert.Contains("'C17'", problem.Message);
        Assert.Contains("calibration end", problem.WhatToDo);
    }

    [Fact]
    public void Train_NoRevenueInTheHoldout_IsRefused()
    {
        var customers = SyntheticCustomers.Generate(200, seed: 12).Select(c => c with { HoldoutRevenue = 0 }).ToList();

        var problem = Assert.Throws<InputProblemException>(() => XgbClvTrainer.Train(customers, new XgbTrainingOptions())).Problem;

        Assert.Contains("No customer bought anything", problem.Message);
    }

    [Fact]
    public void Train_NonFiniteHoldoutRevenue_IsRefused()
    {
        var customers = SyntheticCustomers.Generate(200, seed: 13).ToList();
        customers[3] = customers[3] with { HoldoutRevenue = double.PositiveInfinity };

        var problem = Assert.Throws<InputProblemException>(() => XgbClvTrainer.Train(customers, new XgbTrainingOptions())).Problem;

        Assert.Contains("'C3'", problem.Message);
    }

    [Fact]
    public void Train_SingleCustomer_IsRefusedWithTheMinimum()
    {
        var customers = SyntheticCustomers.Generate(1, seed: 14);

        var problem = Assert.Throws<InputProblemException>(() => XgbClvTrainer.Train(customers, new XgbTrainingOptions())).Problem;

        Assert.Contains("Only 1 customers", problem.Message);
        Assert.Contains("at least 50", problem.Message);
    }

    [Fact]
    public void Train_NetReturnsInTheHoldoutWithTweedie_CountsThemAsZeroAndSaysHowMany()
    {
        var customers = SyntheticCustomers.Generate(500, seed: 15).ToList();
        customers[0] = customers[0] with { HoldoutRevenue = -40 };
        customers[1] = customers[1] with { HoldoutRevenue = -5 };

        using var result = XgbClvTrainer.Train(customers, new XgbTrainingOptions { Rounds = 20 });

        Assert.Equal(2, result.NegativeLabelsClamped);
    }

    [Fact]
    public void Train_SameDataTwice_GivesTheSameModel()
    {
        // Users rerun analyses: the same upload must give the same predictions.
        var customers = SyntheticCustomers.Generate(2_000, seed: 16);

        using var first = XgbClvTrainer.Train(customers, new XgbTrainingOptions { Rounds = 30 });
        using var second = XgbClvTrainer.Train(customers, new XgbTrainingOptions { Rounds = 30 });

        Assert.Equal(first.InSamplePredictions, second.InSamplePredictions);
    }
}
