namespace Nascent.Evaluation;

/// <summary>
/// A tabular benchmark: one row per architecture of a space, numeric metric columns, read from one or more CSV files
/// joined on the architecture. The first file must have an <c>arch</c> column (the space's string form, e.g. the
/// NAS-Bench-201 string) and defines the architectures; every further file must give exactly the same architectures,
/// by an <c>arch</c> column or, when it has none, by an <c>index</c> column matched against the first file's
/// <c>index</c> column. Only the columns a caller names are read as numbers; a named column comes from the first file
/// that has it. Every mistake in a file (a missing column, a duplicate or unknown architecture, a cell that is not a
/// finite number, a short row) is reported with the file, line and column.
/// </summary>
public sealed class TabularBenchmark
{
    public const string ArchitectureColumn = "arch";
    public const string IndexColumn = "index";

    private readonly Architecture[] _architectures;
    private readonly Dictionary<Architecture, int> _rows;
    private readonly string[] _columns;
    private readonly double[][] _values; // [column][row]

    private TabularBenchmark(SearchSpace space, IReadOnlyList<string> files, Architecture[] architectures,
        Dictionary<Architecture, int> rows, string[] columns, double[][] values)
    {
        Space = space;
        Files = files;
        _architectures = architectures;
        _rows = rows;
        _columns = columns;
        _values = values;
    }

    public SearchSpace Space { get; }

    /// <summary>The CSV files, in the order they were joined.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Number of architectures (rows).</summary>
    public int Count => _architectures.Length;

    /// <summary>The architectures in the first file's row order.</summary>
    public IReadOnlyList<Architecture> Architectures => _architectures;

    /// <summary>The numeric columns that were loaded (those named at load).</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Whether every architecture of the space has a row.</summary>
    public bool CoversSpace => Count == Space.Size;

    /// <summary>The file names, for messages and result files: "a.csv + b.csv".</summary>
    public string Description => string.Join(" + ", Files.Select(Path.GetFileName));

    public bool TryGetRow(Architecture architecture, out int row) => _rows.TryGetValue(architecture, out row);

    /// <summary>The row of an architecture; one the table does not hold is a user's mistake (an incomplete table).</summary>
    public int RowOf(Architecture architecture) =>
        _rows.TryGetValue(architecture, out int row) ? row
            : throw new NascentException($"Architecture {architecture} is not in the table {Description} " +
                $"({Count:N0} of the {Space.Size:N0} architectures of the {Space.Name} space have a row): give a table covering the space.");

    public int ColumnIndex(string name)
    {
        int i = Array.IndexOf(_columns, name);
        return i >= 0 ? i : throw new NascentException(
            $"Column '{name}' was not loaded from {Description} (loaded: {string.Join(", ", _columns)}).");
    }

    public double Value(int row, int column) => _values[column][row];

    public double Value(Architecture architecture, string column) => _values[ColumnIndex(column)][RowOf(architecture)];

    /// <summary>All values of a column, in row order.</summary>
    public IReadOnlyList<double> ColumnValues(string name) => _values[ColumnIndex(name)];

    /// <summary>Loads and joins the files, reading <paramref name="columns"/> as numbers.</summary>
    public static TabularBenchmark Load(IReadOnlyList<string> paths, SearchSpace space, IEnumerable<string> columns)
    {
        if (paths.Count == 0) throw new NascentException("No table given: name a CSV file with --table.");
        var wanted = columns.Distinct().ToArray();
        var tables = paths.Select(ReadCsv).ToArray();

        // Where each named column comes from: the first file that has it.
        var source = new (int Table, int Cell)[wanted.Length];
        for (int c = 0; c < wanted.Length; c++)
        {
            int t = Array.FindIndex(tables, table => table.ColumnOf(wanted[c]) >= 0);
            if (t < 0)
                throw new NascentException($"No column '{wanted[c]}' in " + string.Join("; ", tables.Select(table =>
                    $"{table.Path} line 1 (columns: {string.Join(", ", table.Header)})")) + ". Name one of those columns.");
            source[c] = (t, tables[t].ColumnOf(wanted[c]));
        }

        var first = tables[0];
        int archCell = first.ColumnOf(ArchitectureColumn);
        if (archCell < 0)
            throw new NascentException($"{first.Path} line 1: no '{ArchitectureColumn}' column (columns: {string.Join(", ", first.Header)}); " +
                $"the first table must name each row's architecture in an '{ArchitectureColumn}' column (a table without one can follow " +
                $"a table that has '{ArchitectureColumn}' and '{IndexColumn}': it is joined on '{IndexColumn}').");

        var parsed = new Dictionary<string, Architecture>(StringComparer.Ordinal);
        int count = first.Rows.Count;
        var architectures = new Architecture[count];
        var rows = new Dictionary<Architecture, int>(count);
        for (int r = 0; r < count; r++)
        {
            var architecture = ParseArchitecture(first, r, archCell, space, parsed);
            if (!rows.TryAdd(architecture, r))
                throw new NascentException($"{first.Path} line {first.Lines[r]}, column '{ArchitectureColumn}': architecture {architecture} " +
                    $"appears twice (first on line {first.Lines[rows[architecture]]}); each architecture needs exactly one row.");
            architectures[r] = architecture;
        }

        // For each further file, the first file's row of each of its rows.
        var rowMaps = new int[tables.Length][];
        Dictionary<string, int>? rowsByIndex = null;
        for (int t = 1; t < tables.Length; t++)
        {
            var table = tables[t];
            var map = new int[table.Rows.Count];
            var seen = new int[count];
            Array.Fill(seen, -1);
            int keyCell = table.ColumnOf(ArchitectureColumn);
            bool byIndex = keyCell < 0;
            if (byIndex)
            {
                keyCell = table.ColumnOf(IndexColumn);
                if (keyCell < 0 || first.ColumnOf(IndexColumn) < 0)
                    throw new NascentException($"{table.Path} line 1: no '{ArchitectureColumn}' column to join on (columns: {string.Join(", ", table.Header)}); " +
                        $"a further table needs an '{ArchitectureColumn}' column, or an '{IndexColumn}' column when the first table {first.Path} has '{ArchitectureColumn}' and '{IndexColumn}'.");
                rowsByIndex ??= IndexRows(first);
            }
            for (int r = 0; r < table.Rows.Count; r++)
            {
                int row;
                string key = table.Rows[r][keyCell];
                if (byIndex)
                {
                    if (!rowsByIndex!.TryGetValue(key, out row))
                        throw new NascentException($"{table.Path} line {table.Lines[r]}, column '{IndexColumn}': index '{key}' is not in {first.Path}; " +
                            "the first table defines the architectures.");
                }
                else
                {
                    var architecture = ParseArchitecture(table, r, keyCell, space, parsed);
                    if (!rows.TryGetValue(architecture, out row))
                        throw new NascentException($"{table.Path} line {table.Lines[r]}, column '{ArchitectureColumn}': architecture {architecture} " +
                            $"is not in {first.Path}; the first table defines the architectures.");
                }
                if (seen[row] >= 0)
                    throw new NascentException($"{table.Path} line {table.Lines[r]}, column '{(byIndex ? IndexColumn : ArchitectureColumn)}': architecture {architectures[row]} " +
                        $"appears twice (first on line {table.Lines[seen[row]]}); each architecture needs exactly one row.");
                seen[row] = r;
                map[r] = row;
            }
            int missing = Array.IndexOf(seen, -1);
            if (missing >= 0)
                throw new NascentException($"{table.Path} has no row for architecture {architectures[missing]} (line {first.Lines[missing]} of {first.Path}); " +
                    "joined tables must give the same architectures.");
            rowMaps[t] = map;
        }

        var values = new double[wanted.Length][];
        for (int c = 0; c < wanted.Length; c++)
        {
            var (t, cell) = source[c];
            var table = tables[t];
            var column = new double[count];
            for (int r = 0; r < table.Rows.Count; r++)
            {
                string text = table.Rows[r][cell];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                    throw new NascentException($"{table.Path} line {table.Lines[r]}, column '{wanted[c]}': " +
                        (text.Length == 0 ? "the cell is empty" : $"'{text}' is not a finite number") + "; every cell of a named column must be a number.");
                column[t == 0 ? r : rowMaps[t][r]] = value;
            }
            values[c] = column;
        }
        return new TabularBenchmark(space, paths.ToArray(), architectures, rows, wanted, values);
    }

    private static Architecture ParseArchitecture(CsvTable table, int r, int cell, SearchSpace space, Dictionary<string, Architecture> parsed)
    {
        string text = table.Rows[r][cell];
        if (parsed.TryGetValue(text, out var known)) return known;
        try
        {
            var architecture = space.Parse(text);
            parsed[text] = architecture;
            return architecture;
        }
        catch (NascentException e)
        {
            throw new NascentException($"{table.Path} line {table.Lines[r]}, column '{ArchitectureColumn}' " +
                $"(read as the {space.Name} space; --space chooses another): {e.Message}", e);
        }
    }

    private static Dictionary<string, int> IndexRows(CsvTable first)
    {
        int cell = first.ColumnOf(IndexColumn);
        var map = new Dictionary<string, int>(first.Rows.Count, StringComparer.Ordinal);
        for (int r = 0; r < first.Rows.Count; r++)
            if (!map.TryAdd(first.Rows[r][cell], r))
                throw new NascentException($"{first.Path} line {first.Lines[r]}, column '{IndexColumn}': index '{first.Rows[r][cell]}' " +
                    $"appears twice (first on line {first.Lines[map[first.Rows[r][cell]]]}); a table joined on '{IndexColumn}' needs unique indices.");
        return map;
    }

    private sealed record CsvTable(string Path, string[] Header, List<string[]> Rows, List<int> Lines)
    {
        public int ColumnOf(string name) => Array.IndexOf(Header, name);
    }

    /// <summary>Reads a CSV file: a header line, then rows of as many cells. Cells may be quoted ("a,b", "say ""hi""");
    /// blank lines are skipped; line numbers count from 1 at the header.</summary>
    private static CsvTable ReadCsv(string path)
    {
        if (!File.Exists(path)) throw new NascentException($"Table {path} not found: check the --table path.");
        var rows = new List<string[]>();
        var lines = new List<int>();
        string[]? header = null;
        int lineNumber = 0;
        using var reader = new StreamReader(path);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) continue;
            var cells = SplitLine(line, path, lineNumber);
            if (header is null)
            {
                if (lineNumber == 1 && cells.Length > 0) cells[0] = cells[0].TrimStart('\uFEFF');
                header = cells;
                var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                    throw new NascentException($"{path} line {lineNumber}: column '{duplicate.Key}' is named twice in the header.");
                continue;
            }
            if (cells.Length != header.Length)
                throw new NascentException($"{path} line {lineNumber}: {cells.Length} cells, but the header has {header.Length} columns.");
            rows.Add(cells);
            lines.Add(lineNumber);
        }
        if (header is null) throw new NascentException($"{path} is empty: a table needs a header line with an '{ArchitectureColumn}' column, then one row per architecture.");
        if (rows.Count == 0) throw new NascentException($"{path} has a header but no rows.");
        return new CsvTable(path, header, rows, lines);
    }

    private static string[] SplitLine(string line, string path, int lineNumber)
    {
        if (line.EndsWith('\r')) line = line[..^1];
        if (!line.Contains('"'))
        {
            var plain = line.Split(',');
            for (int i = 0; i < plain.Length; i++) plain[i] = plain[i].Trim();
            return plain;
        }
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch != '"') cell.Append(ch);
                else if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cell.ToString().Trim()); cell.Clear(); }
            else cell.Append(ch);
        }
        if (quoted) throw new NascentException($"{path} line {lineNumber}: a quoted cell is not closed.");
        cells.Add(cell.ToString().Trim());
        return cells.ToArray();
    }
}
