using System.Reflection;

namespace Nascent.Core;

/// <summary>
/// The settings of an options record, read from its <see cref="SettingAttribute"/>s: listed (for the command line's
/// options and help) and range-checked. A setting is named <c>Record.Property</c> (e.g.
/// <c>ControllerOptions.LearningRate</c>) in library messages; the command line replaces that name with its flag.
/// </summary>
public static class Settings
{
    /// <summary>One setting: the record type and property it lives on, its description and range.</summary>
    public sealed record Info(Type Record, PropertyInfo Property, SettingAttribute Attribute)
    {
        public string Key => KeyOf(Record, Property.Name);

        /// <summary>The range as help text shows it ("at least 1", "in [0, 1)"), or "" when unbounded.</summary>
        public string RangeText()
        {
            var a = Attribute;
            bool low = !double.IsNegativeInfinity(a.Min), high = !double.IsPositiveInfinity(a.Max);
            if (low && high) return $"in {(a.MinExclusive ? "(" : "[")}{Number(a.Min)}, {Number(a.Max)}{(a.MaxExclusive ? ")" : "]")}";
            if (low) return a.MinExclusive ? (a.Min == 0 ? "positive" : $"above {Number(a.Min)}") : $"at least {Number(a.Min)}";
            if (high) return a.MaxExclusive ? $"below {Number(a.Max)}" : $"at most {Number(a.Max)}";
            return "";
        }
    }

    public static string KeyOf(Type record, string property) => $"{record.Name}.{property}";

    /// <summary>The described settings of <paramref name="record"/>, in declaration order.</summary>
    public static IReadOnlyList<Info> Of(Type record) => record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (p, a: p.GetCustomAttribute<SettingAttribute>()))
        .Where(x => x.a is not null)
        .OrderBy(x => x.p.MetadataToken)
        .Select(x => new Info(record, x.p, x.a!)).ToArray();

    /// <summary>Checks every described number of <paramref name="record"/> against its range, and every nested
    /// record that has settings of its own; throws the first violation, naming the setting.</summary>
    public static void Validate(object record)
    {
        foreach (var info in Of(record.GetType()))
        {
            var value = info.Property.GetValue(record);
            if (value is null || !IsNumber(value)) continue;
            double x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            var a = info.Attribute;
            bool ok = double.IsFinite(x) // no setting takes NaN or infinity
                && (a.MinExclusive ? x > a.Min : x >= a.Min) && (a.MaxExclusive ? x < a.Max : x <= a.Max);
            if (!ok) throw NascentException.ForSetting(info.Key, $"{{setting}} must be {info.RangeText()} (got {Number(x)}).");
        }
        foreach (var property in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetIndexParameters().Length == 0 && !property.PropertyType.IsValueType
                && Of(property.PropertyType).Count > 0 && property.GetValue(record) is { } nested)
                Validate(nested);
    }

    private static bool IsNumber(object value) => value is int or long or double or float or ulong or uint;

    private static string Number(double x) => x.ToString("G", CultureInfo.InvariantCulture);
}
