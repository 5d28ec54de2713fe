using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>What the modeling step predicts and when a backtest is worth running. Defaults suit most shops.</summary>
public sealed record ModelingOptions
{
    /// <summary>The unit the customers' recency and T are in. Default days.</summary>
    public TimeUnit TimeUnit { get; init; } = TimeUnit.Days;

    /// <summary>How far ahead CLV is predicted, in months. Default 12, the usual planning year.</summary>
    public int HorizonMonths { get; init; } = 12;

    /// <summary>Monthly discount rate for CLV (0.01 ≈ 12.7% a year). Default 0: undiscounted revenue.</summary>
    public double MonthlyDiscountRate { get; init; }

    /// <summary>
    /// Length of the backtest's holdout, in <see cref="TimeUnit"/>: the history is cut this long before its
    /// end and the forward procedure predicts it. Default 0: no backtest.
    /// </summary>
    public double HoldoutLength { get; init; }

    /// <summary>Fewest calibration customers for a backtest. Default 100: fewer make every metric noise.</summary>
    public int MinimumBacktestCustomers { get; init; } = 100;

    /// <summary>Shortest calibration window (its oldest customer's T) for a backtest, in days. Default 90: a season of history.</summary>
    public double MinimumCalibrationDays { get; init; } = 90;

    /// <summary>Shortest holdout window for a backtest, in days. Default 28: about a month of purchases to compare with.</summary>
    public double MinimumHoldoutDays { get; init; } = 28;

    /// <summary>
    /// Churn probability (no purchase within the horizon) from which a customer is a medium risk. Default
    /// 0.5: more likely not to buy than to buy.
    /// </summary>
    public double ChurnMediumProbability { get; init; } = 0.5;

    /// <summary>Churn probability from which a customer is a high risk (and counted "at risk"). Default 0.8: four in five such customers buy nothing.</summary>
    public double ChurnHighProbability { get; init; } = 0.8;

    /// <summary>How XGBoost is trained (objective, rounds, depth); its inputs, time unit and window are set by the modeling step. Default <see cref="XgbTrainingOptions"/>'s defaults.</summary>
    public XgbTrainingOptions Xgboost { get; init; } = new();

    /// <summary>XGBoost's inputs for each analysis. Default <see cref="ClvFeatureSet.WithSignals"/>: RFM plus BG/NBD and Gamma-Gamma's view of each customer.</summary>
    public ClvFeatureSet Features { get; init; } = ClvFeatureSet.WithSignals;

    /// <summary>
    /// Largest total-revenue error on the backtest (as a fraction) for a model's amounts to count as
    /// calibrated. Default 0.25: a plan built on the total is then off by a quarter at most.
    /// </summary>
    public double MaximumTotalError { get; init; } = 0.25;

    /// <summary>Largest decile MAPE on the backtest for a model's amounts to count as calibrated. Default 0.5: each tenth of customers within half of what it really spent, on average.</summary>
    public double MaximumDecileMape { get; init; } = 0.5;

    /// <summary>
    /// Permutations for the chance level of the Gini and bootstrap resamples for Gini leads and ranges.
    /// Default 200: the 95% points move by about a percent between seeds; each is one O(n) pass.
    /// </summary>
    public int Resamples { get; init; } = 200;

    /// <summary>Seed of the permutations and resamples, so reruns show the same ranges. Default 20051.</summary>
    public int Seed { get; init; } = 20051;

    /// <summary>
    /// Fewest repeat buyers (frequency above 0, positive spend) to fit Gamma-Gamma. Default 20: with a
    /// handful, the likelihood runs off to a boundary (p in the millions) and its "expected value" is
    /// noise; the average order value is the honest estimate then.
    /// </summary>
    public int MinimumSpendModelCustomers { get; init; } = 20;

    /// <summary>Days per unit of <see cref="TimeUnit"/>.</summary>
    public double DaysPerUnit => TimeUnit.DaysPerUnit();

    /// <summary>The horizon in units of <see cref="TimeUnit"/> (a month is 365.25 / 12 days).</summary>
    public double HorizonUnits => HorizonMonths * ProbabilisticClv.DaysPerMonth / DaysPerUnit;
}
