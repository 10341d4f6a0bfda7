using System.Globalization;
using System.Text;
using Nascent.Spaces;

namespace Nascent.Tests.Tabular;

/// <summary>Small tables written by the tests themselves.</summary>
public static class TableFiles
{
    /// <summary>The NAS-Bench-201 architecture whose six edge ops are the base-5 digits of <paramref name="code"/>.</summary>
    public static Architecture Nb201(int code)
    {
        var choices = new int[6];
        for (int i = 5; i >= 0; i--) { choices[i] = code % 5; code /= 5; }
        return Nb201Space.Instance.Create(choices);
    }

    public static string Write(string folder, string name, string content)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The optimum of <see cref="WriteSynthetic"/>: one architecture far from the all-"none" cell.</summary>
    public static readonly Architecture Target = Nb201Space.Instance.Create([3, 1, 2, 3, 4, 1]);

    /// <summary>
    /// A full NAS-Bench-201-shaped table (15,625 rows) with a smooth landscape: <c>score</c> is 10 per edge agreeing
    /// with <see cref="Target"/> plus a tie-breaking fraction below 1, so the target alone reaches 60 and a search that
    /// climbs one edge at a time can find it; <c>test</c> is score / 2; <c>cost</c> counts convolution edges.
    /// </summary>
    public static string WriteSynthetic(string folder, string name = "synthetic.csv")
    {
        var text = new StringBuilder("index,arch,score,test,cost\n");
        for (int code = 0; code < 15625; code++)
        {
            var a = Nb201(code);
            int agree = a.Choices.Zip(Target.Choices).Count(z => z.First == z.Second);
            double score = 10 * agree + (code * 7919 % 1000) / 1000.0;
            int convs = a.Choices.Count(c => c is 2 or 3);
            text.Append(CultureInfo.InvariantCulture, $"{code},{a},{score:R},{score / 2:R},{convs}\n");
        }
        return Write(folder, name, text.ToString());
    }
}
