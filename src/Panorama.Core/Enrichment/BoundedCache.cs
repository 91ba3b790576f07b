using System.Collections.Concurrent;

namespace Panorama.Core.Enrichment;

/// <summary>
/// A thread-safe cache that forgets everything when full. Real traffic repeats a few thousand
/// User-Agents, so a generous capacity keeps the hit rate near 100% at a fixed memory cost.
/// </summary>
public sealed class BoundedCache<TKey, TValue>(int capacity) where TKey : notnull
{
    readonly ConcurrentDictionary<TKey, TValue> entries = new();

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (entries.TryGetValue(key, out var value)) return value;
        value = create(key);
        if (entries.Count >= capacity) entries.Clear();
        entries.TryAdd(key, value);
        return value;
    }
}
