namespace Nascent.Analysis;

/// <summary>
/// The linear sum assignment problem on a square cost matrix, by the Hungarian algorithm with potentials
/// (Kuhn-Munkres in the O(n³) shortest-augmenting-path form): each row gets a distinct column, total cost least.
/// </summary>
public static class HungarianAssignment
{
    /// <summary>The column assigned to each row of <paramref name="cost"/> (n x n, finite entries).</summary>
    public static int[] Solve(double[,] cost)
    {
        int n = cost.GetLength(0);
        if (cost.GetLength(1) != n) throw new ArgumentException("The cost matrix must be square.", nameof(cost));
        // 1-based arrays: index 0 is the virtual column the augmenting path starts from.
        var u = new double[n + 1];
        var v = new double[n + 1];
        var rowOfColumn = new int[n + 1];
        var way = new int[n + 1];
        for (int row = 1; row <= n; row++)
        {
            rowOfColumn[0] = row;
            int column0 = 0;
            var minSlack = new double[n + 1];
            var used = new bool[n + 1];
            Array.Fill(minSlack, double.PositiveInfinity);
            do
            {
                used[column0] = true;
                int row0 = rowOfColumn[column0], column1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double reduced = cost[row0 - 1, j - 1] - u[row0] - v[j];
                    if (reduced < minSlack[j]) { minSlack[j] = reduced; way[j] = column0; }
                    if (minSlack[j] < delta) { delta = minSlack[j]; column1 = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[rowOfColumn[j]] += delta; v[j] -= delta; }
                    else minSlack[j] -= delta;
                }
                column0 = column1;
            } while (rowOfColumn[column0] != 0);
            do
            {
                int column1 = way[column0];
                rowOfColumn[column0] = rowOfColumn[column1];
                column0 = column1;
            } while (column0 != 0);
        }
        var columnOfRow = new int[n];
        for (int j = 1; j <= n; j++) columnOfRow[rowOfColumn[j] - 1] = j - 1;
        return columnOfRow;
    }
}
