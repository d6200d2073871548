using System.Globalization;
using Microsoft.AspNetCore.Http;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Together;

/// <summary>
/// ListRemediations. Accepts both spellings of the query parameters (camel from the reference docs, snake
/// from the newest SDK) and <c>state</c> repeated or comma-separated. Pages resume from a position key
/// (time, sequence) in the cluster's ordered list, so walking 100 000 entries stays linear.
/// </summary>
internal sealed partial class TogetherApi
{
    private Task ListRemediationsAsync(HttpContext context)
    {
        Reply reply;
        var store = _store;
        lock (store.Gate)
        {
            reply = ListRemediations(store, context);
        }

        return SendAsync(context, reply);
    }

    private Reply ListRemediations(TgStore store, HttpContext context)
    {
        var clusterId = context.RouteId("cluster_id");
        var instanceId = context.RouteId("instance_id");
        if (!store.ClustersById.TryGetValue(clusterId, out var cluster))
        {
            return Rpc(404, 5, $"cluster {clusterId} not found");
        }

        if (instanceId != "-" && !cluster.WorkersByInstance.ContainsKey(instanceId))
        {
            return Rpc(404, 5, $"instance {instanceId} not found in cluster {clusterId}");
        }

        var pageSize = DefaultPageSize;
        var pageSizeText = context.Query("pageSize", "page_size");
        if (!string.IsNullOrEmpty(pageSizeText))
        {
            if (!int.TryParse(pageSizeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out pageSize) || pageSize < 0)
            {
                return Rpc(400, 3, "page_size must be a non-negative integer");
            }

            pageSize = pageSize == 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);
        }

        if (!TryParseFilter(context, "state", States, out var states, out var error)
            || !TryParseFilter(context, "mode", Modes, out var modes, out error)
            || !TryParseFilter(context, "trigger", Triggers, out var triggers, out error))
        {
            return Rpc(400, 3, error!);
        }

        if (!TryParseOrder(context.Query("orderBy", "order_by"), out var byUpdate, out var descending))
        {
            return Rpc(400, 3, "order_by must be create_time or update_time, optionally followed by asc or desc");
        }

        var orderTag = (byUpdate ? "u" : "c") + (descending ? "d" : "a");
        (long Ticks, long Seq)? after = null;
        var token = context.Query("pageToken", "page_token");
        if (!string.IsNullOrEmpty(token))
        {
            if (!TryDecodePageToken(token, orderTag, out var key))
            {
                return Rpc(400, 3, "invalid page_token (it must come from a previous response with the same order_by)");
            }

            after = key;
        }

        Advance(cluster);
        List<TgRemediation> ordered = cluster.Remediations;
        if (byUpdate)
        {
            ordered = [.. cluster.Remediations];
            ordered.Sort(UpdateOrder);
        }

        bool Matches(TgRemediation r) =>
            (instanceId == "-" || r.InstanceId == instanceId)
            && (states is null || states.Contains(r.State))
            && (modes is null || modes.Contains(r.Mode))
            && (triggers is null || triggers.Contains(r.Trigger));

        (long, long) Key(TgRemediation r) => ((byUpdate ? r.UpdateTime : r.CreateTime).UtcTicks, r.Seq);

        var index = after is { } a
            ? (descending ? LowerBound(ordered, a, Key) - 1 : UpperBound(ordered, a, Key))
            : (descending ? ordered.Count - 1 : 0);
        var step = descending ? -1 : 1;
        var page = new List<TgRemediationWire>(Math.Min(pageSize, 256));
        TgRemediation? last = null;
        var hasNext = false;
        for (; index >= 0 && index < ordered.Count; index += step)
        {
            var r = ordered[index];
            if (!Matches(r))
            {
                continue;
            }

            if (page.Count == pageSize)
            {
                hasNext = true;
                break;
            }

            page.Add(r.ToWire());
            last = r;
        }

        var next = hasNext && last is not null ? EncodePageToken(orderTag, Key(last)) : "";
        return new Reply(200, new TgListRemediationsWire(page, hasNext, next));
    }

    private static readonly IComparer<TgRemediation> UpdateOrder = Comparer<TgRemediation>.Create((x, y) =>
    {
        var c = x.UpdateTime.UtcTicks.CompareTo(y.UpdateTime.UtcTicks);
        return c != 0 ? c : x.Seq.CompareTo(y.Seq);
    });

    private static bool TryParseFilter(HttpContext context, string name, HashSet<string> known, out HashSet<string>? values, out string? error)
    {
        var list = context.QueryList(name, name + "[]", name + "s");
        values = null;
        error = null;
        if (list.Count == 0)
        {
            return true;
        }

        values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in list)
        {
            if (!known.Contains(value))
            {
                error = $"invalid value for enum field {name}: \"{value}\"";
                return false;
            }

            values.Add(value);
        }

        return true;
    }

    /// <summary>Default newest first (create_time desc); a field without a direction sorts ascending (AIP-132).</summary>
    private static bool TryParseOrder(string? orderBy, out bool byUpdate, out bool descending)
    {
        byUpdate = false;
        descending = true;
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            return true;
        }

        var first = orderBy.Split(',')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (first.Length is 0 or > 2)
        {
            return false;
        }

        switch (first[0])
        {
            case "create_time" or "createTime":
                break;
            case "update_time" or "updateTime":
                byUpdate = true;
                break;
            default:
                return false;
        }

        descending = false;
        if (first.Length == 2)
        {
            if (first[1].Equals("desc", StringComparison.OrdinalIgnoreCase))
            {
                descending = true;
            }
            else if (!first[1].Equals("asc", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static string EncodePageToken(string orderTag, (long Ticks, long Seq) key)
        => OpaqueToken.Encode(string.Create(CultureInfo.InvariantCulture, $"rem|{orderTag}|{key.Ticks}|{key.Seq}"));

    private static bool TryDecodePageToken(string token, string orderTag, out (long Ticks, long Seq) key)
    {
        key = default;
        if (!OpaqueToken.TryDecode(token, out var text))
        {
            return false;
        }

        var parts = text.Split('|');
        return parts.Length == 4
            && parts[0] == "rem"
            && parts[1] == orderTag
            && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out key.Ticks)
            && long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out key.Seq);
    }

    /// <summary>First index whose key is &gt;= <paramref name="key"/>.</summary>
    private static int LowerBound(List<TgRemediation> list, (long, long) key, Func<TgRemediation, (long, long)> keyOf)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keyOf(list[mid]).CompareTo(key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose key is &gt; <paramref name="key"/>.</summary>
    private static int UpperBound(List<TgRemediation> list, (long, long) key, Func<TgRemediation, (long, long)> keyOf)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keyOf(list[mid]).CompareTo(key) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
