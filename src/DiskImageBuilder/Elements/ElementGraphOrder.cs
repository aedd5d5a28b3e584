namespace DiskImageBuilder.Elements;

/// <summary>
/// Orders a dependency graph so that dependencies come before dependents, the same way on every run.
/// Element dependencies may form cycles, so each cycle (strongly connected component) is emitted as one
/// block with its members in ordinal name order.
/// </summary>
internal static class ElementGraphOrder
{
    /// <summary>
    /// Returns every node of <paramref name="edges"/>: a depth-first post-order from <paramref name="roots"/>,
    /// roots and dependencies visited in ordinal name order (Tarjan's algorithm, which emits a component only
    /// after every component it depends on).
    /// </summary>
    /// <param name="roots">Where the walk starts; nodes no root reaches follow, again by name.</param>
    /// <param name="edges">For each node, the nodes it depends on; every node is a key.</param>
    public static IReadOnlyList<string> Sort(IEnumerable<string> roots, IReadOnlyDictionary<string, IReadOnlyList<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(edges.Count);

        void Connect(string node)
        {
            var number = index.Count;
            index[node] = number;
            lowLink[node] = number;
            stack.Push(node);
            onStack.Add(node);

            foreach (var next in edges[node].Order(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Connect(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], nextIndex);
                }
            }

            if (lowLink[node] != number)
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (!string.Equals(member, node, StringComparison.Ordinal));
            component.Sort(StringComparer.Ordinal);
            result.AddRange(component);
        }

        foreach (var node in roots.Order(StringComparer.Ordinal).Concat(edges.Keys.Order(StringComparer.Ordinal)))
        {
            if (!index.ContainsKey(node))
                Connect(node);
        }
        return result;
    }
}
