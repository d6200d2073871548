using System.Diagnostics;
using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace NodeOps.Engine.Http;

/// <summary>
/// The one HTTP pipeline every provider client sends through: bearer auth, User-Agent, idempotency
/// header, retry with exponential backoff and jitter (honouring Retry-After), per-attempt and total
/// timeouts, bounded body reads, error parsing and a redacted trace.
/// </summary>
internal sealed class HttpPipeline
{
    private static readonly ResiliencePropertyKey<AttemptInfo> AttemptKey = new("NodeOps.Attempt");
    private static readonly string EngineVersion = typeof(HttpPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    private static readonly string[] RequestIdHeaders = ["x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid"];

    private readonly HttpMessageInvoker _invoker;
    private readonly ResiliencePipeline _resilience;
    private readonly NodeOpsClientOptions _options;
    private readonly string _baseUrl;
    private readonly string _authorization;
    private readonly string _userAgent;

    public HttpPipeline(ProviderConnection connection, NodeOpsClientOptions options)
    {
        options.Validate();
        Connection = connection;
        _options = options;
        _baseUrl = connection.Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _authorization = "Bearer " + connection.Credential.Token;
        _userAgent = string.IsNullOrWhiteSpace(options.UserAgentSuffix)
            ? $"NodeOps/{EngineVersion}"
            : $"NodeOps/{EngineVersion} {options.UserAgentSuffix}";
        Redactor = new Redactor(connection.Credential.Token);
        _invoker = new HttpMessageInvoker(options.Transport ?? SharedTransport.Handler, disposeHandler: false);
        _resilience = BuildResilience(options);
    }

    public ProviderConnection Connection { get; }

    public CloudProvider Provider => Connection.Provider;

    public NodeOpsClientOptions Options => _options;

    public Redactor Redactor { get; }

    /// <summary>
    /// Sends <paramref name="request"/> (retrying where safe) and turns the successful reply into a value
    /// with <paramref name="read"/>, which runs inside the attempt: a reply that cannot be read is retried
    /// like any other transient failure when the request is safe to repeat. <paramref name="read"/> maps the
    /// reply to the model too, because only errors leaving here are redacted, and a mapping error quotes
    /// reply values (ids, times) that a hostile server may have set to the token.
    /// </summary>
    public async Task<T> SendAsync<T>(ApiRequest request, Func<ApiResponse, T> read, CancellationToken cancellationToken)
    {
        try
        {
            return await SendCoreAsync(request, read, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeOpsException ex) when (Redacted(ex) is var safe && !ReferenceEquals(safe, ex))
        {
            throw safe;
        }
    }

    /// <summary>Sends a request whose successful reply carries nothing NodeOps needs.</summary>
    public Task SendAsync(ApiRequest request, CancellationToken cancellationToken) =>
        SendAsync(request, static _ => true, cancellationToken);

    private async Task<T> SendCoreAsync<T>(ApiRequest request, Func<ApiResponse, T> read, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var attempt = new AttemptInfo<T>(request, read);
        context.Properties.Set(AttemptKey, attempt);
        try
        {
            return await _resilience.ExecuteAsync(
                static (ctx, state) => state.Pipeline.AttemptAsync(state.Attempt, ctx.CancellationToken),
                context,
                (Pipeline: this, Attempt: attempt)).ConfigureAwait(false);
        }
        catch (TransientFailure failure)
        {
            throw failure.Final;
        }
        catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(request, attempt.Number, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A cancellation nobody asked for comes from a timeout below us (e.g. the handler's own).
            throw TimedOut(request, attempt.Number, null);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<T> AttemptAsync<T>(AttemptInfo<T> attempt, CancellationToken ct)
    {
        var request = attempt.Request;
        var number = ++attempt.Number;
        request.AttemptsMade = number;
        var url = _baseUrl + request.PathAndQuery;
        var tracer = _options.Tracer;
        var method = request.Method.Method;
        var displayUrl = tracer is null ? url : Redactor.Redact(url);

        using var message = new HttpRequestMessage(request.Method, url)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        message.Headers.TryAddWithoutValidation("Authorization", _authorization);
        message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (request.IdempotencyKey is not null)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);
        }

        if (request.Body is not null)
        {
            var content = new ByteArrayContent(request.Body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            message.Content = content;
        }
        else if (request.Safety == RetrySafety.Unsafe)
        {
            // SocketsHttpHandler silently resends a body-less request when a reused connection closes
            // before any reply byte, which for a mutation may mean "processed, then the answer was lost".
            // Any content (even empty) makes the handler leave that decision to us.
            message.Content = new ByteArrayContent([]);
        }

        tracer?.Trace(new RequestTraceEvent(TraceEventKind.Sending, Provider, method, displayUrl, number));
        if (tracer is { IncludeBodies: true } && request.Body is not null)
        {
            tracer.Trace(new RequestTraceEvent(TraceEventKind.Body, Provider, method, displayUrl, number,
                Detail: "request body: " + Redactor.RedactTrimmed(request.Body, 4096)));
        }

        var started = Stopwatch.GetTimestamp();
        ApiResponse response;
        try
        {
            using var httpResponse = await _invoker.SendAsync(message, ct).ConfigureAwait(false);
            var (buffer, length) = await ReadBodyAsync(httpResponse, request, ct).ConfigureAwait(false);
            response = new ApiResponse(
                httpResponse.StatusCode,
                buffer,
                length,
                httpResponse.Content.Headers.ContentType?.MediaType,
                RequestId(httpResponse),
                RetryAfter(httpResponse));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            tracer?.Trace(new RequestTraceEvent(TraceEventKind.Failed, Provider, method, displayUrl, number,
                Elapsed: Stopwatch.GetElapsedTime(started), Detail: Redactor.Redact(ex.Message)));
            throw NetworkFailure(request, ex);
        }

        using (response)
        {
            tracer?.Trace(new RequestTraceEvent(TraceEventKind.Received, Provider, method, displayUrl, number,
                Status: response.StatusCode, Elapsed: Stopwatch.GetElapsedTime(started)));
            if (tracer is { IncludeBodies: true } && !response.Body.IsEmpty)
            {
                tracer.Trace(new RequestTraceEvent(TraceEventKind.Body, Provider, method, displayUrl, number,
                    Status: response.StatusCode, Detail: "response body: " + Redactor.RedactTrimmed(response.Body, 4096)));
            }

            if (response.IsSuccess)
            {
                try
                {
                    return attempt.Read(response);
                }
                catch (NodeOpsException ex) when (ex.Kind == ErrorKind.InvalidResponse && request.Safety == RetrySafety.Safe)
                {
                    throw new TransientFailure(ex, null);
                }
            }

            var error = ApiError(request, response);
            throw RetryDelay(request, response) is { } delay
                ? new TransientFailure(error, delay) { KeyInProgress = error.Kind == ErrorKind.IdempotencyKeyInProgress }
                : error;
        }
    }

    /// <summary>
    /// The reply body, bounded by <see cref="NodeOpsClientOptions.MaxResponseBytes"/> (after
    /// decompression, so a small compressed body cannot expand past it). An error status's body that is
    /// too large or cannot be decompressed is dropped instead of failing the read: the status says what
    /// happened, and a mutation whose reply was "unreadable" would otherwise be reported as accepted.
    /// </summary>
    private async Task<(byte[]? Buffer, int Length)> ReadBodyAsync(HttpResponseMessage response, ApiRequest request, CancellationToken ct)
    {
        try
        {
            return await BoundedBodyReader.ReadAsync(response.Content, _options.MaxResponseBytes, () => Describe(request), ct).ConfigureAwait(false);
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.InvalidResponse && !response.IsSuccessStatusCode)
        {
            return (null, 0);
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.InvalidResponse && ex.Provider is null)
        {
            // The reader knows sizes, not whose reply it was: the error names the provider and node like any other.
            throw new NodeOpsException(ex.Kind, ex.Message, ex.InnerException) { Provider = Provider, Target = request.Target };
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            // The decompressors throw these for a body that does not match its Content-Encoding.
            if (!response.IsSuccessStatusCode)
            {
                return (null, 0);
            }

            var invalid = new NodeOpsException(ErrorKind.InvalidResponse, $"{Describe(request)}: the reply's compressed body could not be decompressed ({ex.Message})", ex)
            {
                Provider = Provider,
                Target = request.Target,
            };
            throw request.Safety == RetrySafety.Safe ? new TransientFailure(invalid, null) : invalid;
        }
    }

    /// <summary>
    /// The delay before retrying this error reply, or null when it must not be retried. A zero span
    /// means "retry with the default backoff".
    /// </summary>
    private TimeSpan? RetryDelay(ApiRequest request, ApiResponse response)
    {
        var status = response.StatusCode;
        var retryAfter = response.RetryAfter;
        if (retryAfter > _options.MaxRetryAfter)
        {
            return null;
        }

        if (status == 409 && request.RetryWhileKeyInProgress && request.IdempotencyKey is not null)
        {
            return retryAfter ?? _options.KeyInProgressDelay;
        }

        // A 429 means the server turned the request away unprocessed: safe to repeat for any request.
        if (status == 429)
        {
            return retryAfter ?? TimeSpan.Zero;
        }

        if (request.Safety == RetrySafety.Safe && status is 408 or 500 or 502 or 503 or 504)
        {
            return retryAfter ?? TimeSpan.Zero;
        }

        return null;
    }

    private NodeOpsApiException ApiError(ApiRequest request, ApiResponse response)
    {
        var status = response.StatusCode;
        var parsed = ProviderError.Parse(response.Body);
        var kind = KindOf(request, status, parsed.Code);
        var reason = ReasonPhrase(status);
        // Everything taken from the reply is redacted: a careless server may echo the token anywhere in it.
        var detail = parsed.Message is { Length: > 0 } m ? Redactor.Redact(m) : null;
        var code = Redactor.RedactHeader(parsed.Code);
        var requestId = Redactor.RedactHeader(response.RequestId);
        var what = Describe(request);
        var message = kind switch
        {
            ErrorKind.IdempotencyKeyMismatch =>
                $"{what}: the idempotency key '{request.IdempotencyKey}' was already used with a different request. Use a new key (or none) for a different set of nodes.",
            ErrorKind.IdempotencyKeyInProgress =>
                $"{what}: a request with idempotency key '{request.IdempotencyKey}' is still in progress on the provider; try again later with the same key.",
            _ => $"{what}: {status} {reason}{(detail is null ? string.Empty : ": " + detail)}",
        };
        if (code is { Length: > 0 })
        {
            message += $" [{code}]";
        }

        if (requestId is { Length: > 0 })
        {
            message += $" (request id {requestId})";
        }

        return new NodeOpsApiException(kind, message, status)
        {
            Provider = Provider,
            Target = request.Target,
            ProviderCode = code,
            ProviderMessage = detail,
            RequestId = requestId,
            RawBody = response.Body.IsEmpty ? null : Redactor.RedactTrimmed(response.Body, 2048),
            Method = request.Method.Method,
            RequestPath = request.PathAndQuery,
            RetryAfter = response.RetryAfter,
        };
    }

    private static ErrorKind KindOf(ApiRequest request, int status, string? code)
    {
        if (request.IdempotencyKey is not null)
        {
            if (status == 422)
            {
                return ErrorKind.IdempotencyKeyMismatch;
            }

            if (status == 409 && request.RetryWhileKeyInProgress)
            {
                return ErrorKind.IdempotencyKeyInProgress;
            }
        }

        return code?.ToUpperInvariant() switch
        {
            "ALREADY_EXISTS" => ErrorKind.AlreadyExists,
            "FAILED_PRECONDITION" => ErrorKind.InvalidState,
            "NOT_FOUND" => ErrorKind.NotFound,
            "UNAUTHENTICATED" => ErrorKind.AuthenticationFailed,
            "PERMISSION_DENIED" => ErrorKind.PermissionDenied,
            "RESOURCE_EXHAUSTED" when status == 429 => ErrorKind.RateLimited,
            _ => ErrorKindExtensions.FromStatus(status),
        };
    }

    /// <summary>
    /// Every error leaves the pipeline through here. Most are built from redacted parts (<see cref="ApiError"/>),
    /// but a reader's words quote the reply (a property name, a value, a content type): when they quote the
    /// token, the message is masked and the inner exception, which would repeat it, is dropped.
    /// </summary>
    private NodeOpsException Redacted(NodeOpsException ex)
    {
        var message = Redactor.Redact(ex.Message);
        var cause = ex.InnerException?.ToString();
        var keepInner = cause is null || Redactor.Redact(cause) == cause;
        if (message == ex.Message && keepInner)
        {
            return ex;
        }

        return new NodeOpsException(ex.Kind, message, keepInner ? ex.InnerException : null)
        {
            Provider = ex.Provider,
            Target = ex.Target,
            RecommendedAction = ex.RecommendedAction,
        };
    }

    private Exception NetworkFailure(ApiRequest request, Exception ex)
    {
        // A failed TLS handshake happens before any byte of the request is sent, and retrying it cannot
        // make an untrusted certificate trusted: a final, plainly explained error.
        if (ex is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            var cause = ex.InnerException?.Message ?? ex.Message;
            return new NodeOpsException(
                ErrorKind.ConnectionFailed,
                $"{Describe(request)}: the TLS connection to {Connection.Endpoint.Authority} failed, so nothing was sent: {Redactor.Redact(cause)}",
                ex)
            {
                Provider = Provider,
                Target = request.Target,
                RecommendedAction = "Check the endpoint's certificate: NodeOps trusts what the operating system trusts and has no option to skip the check. Behind a TLS-inspecting proxy, add its root certificate to the system store.",
            };
        }

        var notSent = ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
        if (notSent || request.Safety == RetrySafety.Safe)
        {
            return new TransientFailure(
                new NodeOpsException(ErrorKind.ConnectionFailed, $"{Describe(request)}: {Redactor.Redact(ex.Message)}", ex)
                {
                    Provider = Provider,
                    Target = request.Target,
                },
                null);
        }

        return OutcomeUnknown(request, ex.Message, ex);
    }

    private NodeOpsException OutcomeUnknown(ApiRequest request, string cause, Exception? inner) =>
        new(ErrorKind.OutcomeUnknown,
            $"{Describe(request)}: the request was sent but no answer arrived ({Redactor.Redact(cause)}). " +
            "It may or may not have taken effect; NodeOps does not resend it because the provider cannot deduplicate it.",
            inner)
        {
            Provider = Provider,
            Target = request.Target,
            RecommendedAction = "Check the node's state (Get-GpuNode) before trying again.",
        };

    private NodeOpsException TimedOut(ApiRequest request, int attempts, Exception? inner)
    {
        if (request.Safety == RetrySafety.Unsafe)
        {
            return OutcomeUnknown(request, "timed out", inner);
        }

        return new NodeOpsException(
            ErrorKind.Timeout,
            $"{Describe(request)}: no answer within the time limit after {attempts} attempt(s) " +
            $"(per attempt {_options.AttemptTimeout.TotalSeconds:0.#} s, in total {_options.TotalTimeout.TotalSeconds:0.#} s).",
            inner)
        {
            Provider = Provider,
            Target = request.Target,
        };
    }

    private string Describe(ApiRequest request) =>
        request.Target is null
            ? $"{Provider} {request.Operation}"
            : $"{Provider} {request.Operation} '{request.Target}'";

    private static string ReasonPhrase(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "Error";

    private static string? RequestId(HttpResponseMessage response)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private bool ShouldRetry(Exception? exception, ResilienceContext context)
    {
        if (!context.Properties.TryGetValue(AttemptKey, out var attempt))
        {
            return false;
        }

        var retryable = exception switch
        {
            TransientFailure { KeyInProgress: true } => true,
            TransientFailure => attempt.Retries < _options.MaxRetries,
            TimeoutRejectedException => attempt.Request.Safety == RetrySafety.Safe && attempt.Retries < _options.MaxRetries,
            _ => false,
        };
        if (retryable && exception is not TransientFailure { KeyInProgress: true })
        {
            attempt.Retries++;
        }

        return retryable;
    }

    private ResiliencePipeline BuildResilience(NodeOpsClientOptions options)
    {
        return new ResiliencePipelineBuilder { Name = "NodeOps" }
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                // The budget is enforced in ShouldHandle: ordinary failures get MaxRetries, while waiting
                // for an idempotency key still in progress is bounded only by the total timeout
                // (Voltage Park holds a key for up to five minutes).
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context)),
                DelayGenerator = static args => ValueTask.FromResult(
                    args.Outcome.Exception is TransientFailure { RetryAfter: { } after } && after > TimeSpan.Zero
                        ? after
                        : (TimeSpan?)null),
                OnRetry = args =>
                {
                    if (_options.Tracer is { } tracer && args.Context.Properties.TryGetValue(AttemptKey, out var a))
                    {
                        var reason = args.Outcome.Exception switch
                        {
                            TransientFailure t => t.Final.Message,
                            TimeoutRejectedException => "attempt timed out",
                            { } other => other.Message,
                            null => "retry",
                        };
                        tracer.Trace(new RequestTraceEvent(TraceEventKind.Retrying, Provider, a.Request.Method.Method,
                            Redactor.Redact(_baseUrl + a.Request.PathAndQuery), a.Number, Delay: args.RetryDelay,
                            Detail: Redactor.Redact(reason)));
                    }

                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    private abstract class AttemptInfo(ApiRequest request)
    {
        public ApiRequest Request { get; } = request;

        public int Number { get; set; }

        /// <summary>Retries spent from <see cref="NodeOpsClientOptions.MaxRetries"/>.</summary>
        public int Retries { get; set; }
    }

    private sealed class AttemptInfo<T>(ApiRequest request, Func<ApiResponse, T> read) : AttemptInfo(request)
    {
        public Func<ApiResponse, T> Read { get; } = read;
    }
}
