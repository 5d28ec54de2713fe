using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Onnx;

namespace ClvPortal.Core.Models.Xgboost;

/// <summary>
/// Converts an XGBoost JSON model (gbtree, single target regression) into an ONNX graph that ONNX
/// Runtime scores exactly like XGBoost: an ai.onnx.ml <c>TreeEnsembleRegressor</c>, followed by
/// <c>Exp</c> for log-link objectives.
/// </summary>
internal static class XgbOnnxExporter
{
    public const string InputName = "features";
    public const string OutputName = "prediction";
    private const string MarginName = "margin";

    /// <summary>Objectives whose prediction is exp(margin); the rest listed here are identity.</summary>
    private static readonly HashSet<string> LogLink = ["reg:tweedie", "count:poisson", "reg:gamma"];

    private static readonly HashSet<string> IdentityLink =
        ["reg:squarederror", "reg:linear", "reg:pseudohubererror", "reg:absoluteerror", "reg:squaredlogerror"];

    public static ModelProto Export(ReadOnlySpan<byte> xgboostJson, int featureCount, IReadOnlyDictionary<string, string> metadata)
    {
        using var document = JsonDocument.Parse(xgboostJson.ToArray());
        var learner = document.RootElement.GetProperty("learner");
        var objective = learner.GetProperty("objective").GetProperty("name").GetString()!;
        var booster = learner.GetProperty("gradient_booster");
        if (booster.GetProperty("name").GetString() != "gbtree")
        {
            throw new XgboostException($"Only gbtree boosters can be exported to ONNX, not '{booster.GetProperty("name").GetString()}'.");
        }

        var logLink = LogLink.Contains(objective);
        if (!logLink && !IdentityLink.Contains(objective))
        {
            throw new XgboostException($"The objective '{objective}' cannot be exported to ONNX (regression objectives only).");
        }

        // XGBoost stores base_score on the response scale (as text, e.g. "5E-1"); the trees add to the
        // margin, so the ensemble's base value is the score passed through the objective's link.
        var baseScore = float.Parse(
            learner.GetProperty("learner_model_param").GetProperty("base_score").GetString()!, CultureInfo.InvariantCulture);
        var baseMargin = logLink ? MathF.Log(baseScore) : baseScore;

        // XGBoost sums in float32 starting from the base margin: (base + tree0) + tree1 + ... Folding the
        // base into the first tree's leaves reproduces that order in ONNX Runtime bit for bit, where a
        // separate base_values term (added last) drifts by ~1e-4 once margins reach the hundreds.
        var ensemble = new TreeArrays();
        var treeId = 0;
        foreach (var tree in booster.GetProperty("model").GetProperty("trees").EnumerateArray())
        {
            AddTree(tree, treeId, treeId == 0 ? baseMargin : 0f, ensemble);
            treeId++;
        }

        var baseValue = treeId == 0 ? baseMargin : 0f;

        var graph = new GraphProto { Name = "xgboost_clv" };
        graph.Input.Add(FloatMatrix(InputName, featureCount));
        graph.Output.Add(FloatMatrix(OutputName, 1));
        var ensembleOutput = logLink ? MarginName : OutputName;
        graph.Node.Add(ensemble.ToNode(baseValue, ensembleOutput));
        if (logLink)
        {
            graph.Node.Add(new NodeProto { Name = "link", OpType = "Exp", Input = { MarginName }, Output = { OutputName } });
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "ClvPortal",
            ProducerVersion = XgbBooster.Version,
            Graph = graph,
            OpsetImport =
            {
                new OperatorSetIdProto { Domain = "", Version = 17 },
                new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = 3 },
            },
        };
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static void AddTree(JsonElement tree, int treeId, float leafOffset, TreeArrays into)
    {
        var left = ReadInts(tree.GetProperty("left_children"));
        var right = ReadInts(tree.GetProperty("right_children"));
        var splitIndex = ReadInts(tree.GetProperty("split_indices"));
        var defaultLeft = ReadInts(tree.GetProperty("default_left"));

        // Thresholds and leaf values are float32 in XGBoost; reading the JSON number straight into a
        // float keeps them bit-identical (a detour through double or rounded text would move splits).
        var conditions = tree.GetProperty("split_conditions").EnumerateArray().Select(e => e.GetSingle()).ToArray();

        // Walk from the root: pruned trees keep deleted nodes in the arrays, unreachable.
        var pending = new Stack<int>();
        pending.Push(0);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            var isLeaf = left[node] == -1;
            into.TreeIds.Add(treeId);
            into.NodeIds.Add(node);
            if (isLeaf)
            {
                into.FeatureIds.Add(0);
                into.Modes.Add(ByteString.CopyFromUtf8("LEAF"));
                into.Values.Add(0f);
                into.TrueIds.Add(0);
                into.FalseIds.Add(0);
                into.MissingTracksTrue.Add(0);
                into.TargetTreeIds.Add(treeId);
                into.TargetNodeIds.Add(node);
                into.TargetWeights.Add(leafOffset == 0f ? conditions[node] : leafOffset + conditions[node]);
                continue;
            }

            // XGBoost goes left when x < threshold, and sends missing values to the default side.
            into.FeatureIds.Add(splitIndex[node]);
            into.Modes.Add(ByteString.CopyFromUtf8("BRANCH_LT"));
            into.Values.Add(conditions[node]);
            into.TrueIds.Add(left[node]);
            into.FalseIds.Add(right[node]);
            into.MissingTracksTrue.Add(defaultLeft[node] != 0 ? 1 : 0);
            pending.Push(right[node]);
            pending.Push(left[node]);
        }
    }

    private static int[] ReadInts(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind switch
        {
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => e.GetInt32(),
        }).ToArray();

    private static ValueInfoProto FloatMatrix(string name, long columns) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = "N" },
                        new TensorShapeProto.Types.Dimension { DimValue = columns },
                    },
                },
            },
        },
    };

    private sealed class TreeArrays
    {
        public List<long> TreeIds { get; } = [];
        public List<long> NodeIds { get; } = [];
        public List<long> FeatureIds { get; } = [];
        public List<ByteString> Modes { get; } = [];
        public List<float> Values { get; } = [];
        public List<long> TrueIds { get; } = [];
        public List<long> FalseIds { get; } = [];
        public List<long> MissingTracksTrue { get; } = [];
        public List<long> TargetTreeIds { get; } = [];
        public List<long> TargetNodeIds { get; } = [];
        public List<float> TargetWeights { get; } = [];

        public NodeProto ToNode(float baseMargin, string output)
        {
            var node = new NodeProto
            {
                Name = "trees",
                OpType = "TreeEnsembleRegressor",
                Domain = "ai.onnx.ml",
                Input = { InputName },
                Output = { output },
            };
            node.Attribute.Add(Ints("nodes_treeids", TreeIds));
            node.Attribute.Add(Ints("nodes_nodeids", NodeIds));
            node.Attribute.Add(Ints("nodes_featureids", FeatureIds));
            node.Attribute.Add(new AttributeProto { Name = "nodes_modes", Type = AttributeProto.Types.AttributeType.Strings, Strings = { Modes } });
            node.Attribute.Add(Floats("nodes_values", Values));
            node.Attribute.Add(Ints("nodes_truenodeids", TrueIds));
            node.Attribute.Add(Ints("nodes_falsenodeids", FalseIds));
            node.Attribute.Add(Ints("nodes_missing_value_tracks_true", MissingTracksTrue));
            node.Attribute.Add(Ints("target_treeids", TargetTreeIds));
            node.Attribute.Add(Ints("target_nodeids", TargetNodeIds));
            node.Attribute.Add(Ints("target_ids", TargetTreeIds.Select(_ => 0L)));
            node.Attribute.Add(Floats("target_weights", TargetWeights));
            node.Attribute.Add(Floats("base_values", [baseMargin]));
            node.Attribute.Add(new AttributeProto { Name = "n_targets", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            node.Attribute.Add(new AttributeProto { Name = "aggregate_function", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SUM") });
            node.Attribute.Add(new AttributeProto { Name = "post_transform", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("NONE") });
            return node;
        }

        private static AttributeProto Ints(string name, IEnumerable<long> values) =>
            new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

        private static AttributeProto Floats(string name, IEnumerable<float> values) =>
            new() { Name = name, Type = AttributeProto.Types.AttributeType.Floats, Floats = { values } };
    }
}
