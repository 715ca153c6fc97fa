"""check.py -- drives a running GenLedger gateway with the OFFICIAL Python SDKs `openai` and
`google-genai`, pointed at the gateway by their base-URL option and tagged with the attribution
headers (X-Article-Id sdk-python-<provider>, X-Task sdk_check, X-Tags). Each call asserts that the
SDK parsed what came back (text, usage, audio bytes) and, where the SDK exposes response headers,
that the gateway added X-Generation-Id. Retries are off so that a gateway error shows.

e2e/sdk/run starts the fake upstream and the gateway, installs requirements.txt in a venv and runs
    GW_PORT=<proxy port> python e2e/sdk/clients/check.py
Prints `PASS python <sdk> <call>` or `FAIL python <sdk> <call>: <error>` per call, a summary, and
exits 1 if any call failed.
"""
import logging
import os
import re
import signal
import sys

from google import genai
from google.genai import types
from openai import OpenAI

# google-genai warns about automatic function calling on every first generate_content, tools or not
logging.getLogger("google_genai.models").setLevel(logging.ERROR)

if not os.environ.get("GW_PORT"):
    print("check.py: set GW_PORT to the gateway proxy port", file=sys.stderr)
    sys.exit(2)
GW = f"http://127.0.0.1:{os.environ['GW_PORT']}"
TIMEOUT_S = 20  # per request, given to each SDK
WATCHDOG_S = 45  # per check, in case a stream stalls
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

passed = 0
failed = 0


def attribution(article):
    return {"X-Article-Id": article, "X-Task": "sdk_check", "X-Tags": "sdk=python,suite=e2e"}


class Watchdog(Exception):
    pass


def _alarm(signum, frame):
    raise Watchdog(f"no result after {WATCHDOG_S} s")


signal.signal(signal.SIGALRM, _alarm)


def check(sdk, call, fn):
    global passed, failed
    signal.alarm(WATCHDOG_S)
    try:
        fn()
        passed += 1
        print(f"PASS python {sdk} {call}", flush=True)
    except Exception as e:  # one failure must not hide the others
        failed += 1
        status = getattr(e, "status_code", None) or getattr(e, "code", None)
        status = f" (HTTP {status})" if isinstance(status, int) else ""
        message = " ".join(f"{type(e).__name__}: {e}".split())[:400]
        print(f"FAIL python {sdk} {call}: {message}{status}", flush=True)
    finally:
        signal.alarm(0)


def expect(condition, message):
    if not condition:
        raise AssertionError(f"assertion failed: {message}")


def generation_id(headers):
    """headers: an httpx Headers object or a plain dict (google-genai)."""
    value = None
    if headers is not None:
        value = headers.get("x-generation-id")
        if value is None and isinstance(headers, dict):
            value = next((v for k, v in headers.items() if k.lower() == "x-generation-id"), None)
    expect(value is not None and UUID.match(value), f"x-generation-id is a UUID (got {value!r})")
    return value


# ---------------------------------------------------------------- openai
openai_client = OpenAI(
    base_url=f"{GW}/openai/v1",  # the SDK appends chat/completions etc. to it
    api_key="sk-test",
    default_headers=attribution("sdk-python-openai"),
    max_retries=0,
    timeout=TIMEOUT_S,
)
MODEL = "gpt-4o-mini"
MESSAGES = [{"role": "user", "content": "Say hello."}]


def openai_chat():
    raw = openai_client.chat.completions.with_raw_response.create(model=MODEL, messages=MESSAGES)
    generation_id(raw.headers)
    completion = raw.parse()
    content = completion.choices[0].message.content
    expect(content == "Hello! How can I assist you today?", f"content (got {content!r})")
    expect(completion.usage is not None and completion.usage.prompt_tokens == 19,
           f"usage.prompt_tokens == 19 (got {completion.usage})")
    expect(completion.usage.completion_tokens == 10, f"usage.completion_tokens == 10 (got {completion.usage})")


def openai_chat_stream():
    # no stream_options: the gateway asks upstream for usage itself and must hide that chunk
    text, chunks = "", 0
    with openai_client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True) as stream:
        for chunk in stream:
            chunks += 1
            expect(chunk.usage is None, f"no usage chunk without include_usage (got {chunk.usage})")
            expect(len(chunk.choices) > 0, "no chunk with empty choices (that is the usage chunk)")
            text += chunk.choices[0].delta.content or ""
    expect(chunks > 1, f"several chunks (got {chunks})")
    expect(text, "streamed text is not empty")


def openai_chat_stream_usage():
    text, usage = "", None
    with openai_client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True,
                                               stream_options={"include_usage": True}) as stream:
        for chunk in stream:
            if chunk.usage is not None:
                usage = chunk.usage
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
    expect(text, "streamed text is not empty")
    expect(usage is not None and usage.prompt_tokens > 0 and usage.completion_tokens > 0,
           f"a usage chunk arrived (got {usage})")


def openai_responses():
    response = openai_client.responses.create(model=MODEL, input="Tell me a one-sentence story.")
    expect(response.output_text, "output_text is not empty")
    expect(response.usage is not None and response.usage.input_tokens == 36,
           f"usage.input_tokens == 36 (got {response.usage})")


def openai_responses_stream():
    text, usage = "", None
    with openai_client.responses.create(model=MODEL, input="Say hello.", stream=True) as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                text += event.delta
            elif event.type == "response.completed":
                usage = event.response.usage
    expect(text, "streamed text is not empty")
    expect(usage is not None and usage.input_tokens > 0, f"response.completed carries usage (got {usage})")


def openai_embeddings():
    # without encoding_format the SDK asks for base64 and decodes; a float answer is kept as is
    response = openai_client.embeddings.create(model="text-embedding-3-small", input="The food was delicious.")
    vector = response.data[0].embedding
    expect(len(vector) == 3, f"vector length 3 (got {len(vector)})")
    expect(response.usage.prompt_tokens == 8, f"usage.prompt_tokens == 8 (got {response.usage})")


def openai_images():
    response = openai_client.images.generate(model="gpt-image-1", prompt="A lighthouse at dusk", size="1024x1024")
    expect(response.data and response.data[0].b64_json, "data[0].b64_json is present")
    expect(response.usage is not None and response.usage.output_tokens == 1056,
           f"usage.output_tokens == 1056 (got {response.usage})")


def openai_speech():
    with openai_client.audio.speech.with_streaming_response.create(
            model="gpt-4o-mini-tts", voice="alloy", input="Hello there.") as response:
        generation_id(response.headers)
        size = sum(len(chunk) for chunk in response.iter_bytes())
    expect(size > 0, f"audio bytes > 0 (got {size})")


def openai_transcription():
    audio = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff" * 2048
    transcription = openai_client.audio.transcriptions.create(
        model="gpt-4o-transcribe", file=("hello.mp3", audio, "audio/mpeg"))
    expect(transcription.text, "text is not empty")
    expect(transcription.usage is not None and transcription.usage.input_tokens == 14,
           f"usage.input_tokens == 14 (got {transcription.usage})")


check("openai", "chat.completions.create", openai_chat)
check("openai", "chat.completions.create stream", openai_chat_stream)
check("openai", "chat.completions.create stream include_usage", openai_chat_stream_usage)
check("openai", "responses.create", openai_responses)
check("openai", "responses.create stream", openai_responses_stream)
check("openai", "embeddings.create", openai_embeddings)
check("openai", "images.generate", openai_images)
check("openai", "audio.speech.create", openai_speech)
check("openai", "audio.transcriptions.create", openai_transcription)

# ---------------------------------------------------------------- google-genai
# The SDK builds <base_url>/<api_version>/models/<model>:<method>, api_version v1beta by default.
# It does not retry unless http_options.retry_options is given; timeout is in milliseconds.
gemini_client = genai.Client(
    api_key="test-key",
    http_options=types.HttpOptions(
        base_url=f"{GW}/gemini",
        headers=attribution("sdk-python-gemini"),
        timeout=TIMEOUT_S * 1000,
    ),
)


def gemini_generate():
    response = gemini_client.models.generate_content(model="gemini-2.0-flash", contents="Where is Google headquartered?")
    expect(response.text, "text is not empty")
    expect(response.usage_metadata is not None and response.usage_metadata.prompt_token_count == 7,
           f"usage_metadata.prompt_token_count == 7 (got {response.usage_metadata})")
    generation_id(response.sdk_http_response and response.sdk_http_response.headers)


def gemini_generate_stream():
    text, usage = "", None
    for chunk in gemini_client.models.generate_content_stream(model="gemini-2.5-flash", contents="Why is the sky blue?"):
        text += chunk.text or ""  # thought-only chunks have no text
        usage = chunk.usage_metadata or usage
    expect(text, "streamed text is not empty")
    expect(usage is not None and (usage.total_token_count or 0) > 0, f"usage_metadata on the chunks (got {usage})")


def gemini_embed():
    # on the Gemini API this SDK calls :batchEmbedContents, even for one content
    response = gemini_client.models.embed_content(model="gemini-embedding-001", contents="What is the meaning of life?")
    expect(response.embeddings and response.embeddings[0].values,
           f"an embedding with values (got {response.embeddings})")


def gemini_count_tokens():
    response = gemini_client.models.count_tokens(model="gemini-2.0-flash",
                                                 contents="The quick brown fox jumps over the lazy dog.")
    expect(response.total_tokens == 10, f"total_tokens == 10 (got {response.total_tokens})")


check("gemini", "models.generate_content", gemini_generate)
check("gemini", "models.generate_content_stream", gemini_generate_stream)
check("gemini", "models.embed_content", gemini_embed)
check("gemini", "models.count_tokens", gemini_count_tokens)

print(f"SUMMARY python passed={passed} failed={failed}", flush=True)
sys.exit(1 if failed else 0)
