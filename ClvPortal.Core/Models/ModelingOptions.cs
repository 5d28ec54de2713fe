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
    /// Length of the holdout window the calibration customers' targets were summed over, in
    /// <see cref="TimeUnit"/>. Needed whenever calibration customers are given. Default 0 (no holdout).
    /// </summary>
    public double HoldoutLength { get; init; }

    /// <summary>Fewest calibration customers for a backtest. Default 100: fewer make every metric noise.</summary>
    public int MinimumBacktestCustomers { get; init; } = 100;

    /// <summary>Shortest calibration window (its oldest customer's T) for a backtest, in days. Default 90: a season of history.</summary>
    public double MinimumCalibrationDays { get; init; } = 90;

    /// <summary>Shortest holdout window for a backtest, in days. Default 28: about a month of purchases to compare with.</summary>
    public double MinimumHoldoutDays { get; init; } = 28;

    /// <summary>P(alive) below which a customer is flagged as a churn risk. Default 0.5: more likely gone than not.</summary>
    public double ChurnThreshold { get; init; } = CustomerSegments.DefaultChurnThreshold;

    /// <summary>How XGBoost is trained (objective, rounds, features); its time unit and horizon are set from these options. Default <see cref="XgbTrainingOptions"/>'s defaults.</summary>
    public XgbTrainingOptions Xgboost { get; init; } = new();

    /// <summary>
    /// Folds for XGBoost's backtest predictions. Default 5: XGBoost learns from the holdout targets,
    /// so each customer's backtest prediction comes from a model trained on the other 80% of
    /// customers (out-of-fold), never from a model that saw that customer's holdout.
    /// </summary>
    public int CrossValidationFolds { get; init; } = 5;

    /// <summary>
    /// Fewest repeat buyers (frequency above 0, positive spend) to fit Gamma-Gamma. Default 20: with a
    /// handful, the likelihood runs off to a boundary (p in the millions) and its "expected value" is
    /// noise; the average order value is the honest estimate then.
    /// </summary>
    public int MinimumSpendModelCustomers { get; init; } = 20;

    /// <summary>Days per unit of <see cref="TimeUnit"/>.</summary>
    public double DaysPerUnit => TimeUnit == TimeUnit.Weeks ? 7 : 1;

    /// <summary>The horizon in units of <see cref="TimeUnit"/> (a month is 365.25 / 12 days).</summary>
    public double HorizonUnits => HorizonMonths * ProbabilisticClv.DaysPerMonth / DaysPerUnit;
}
