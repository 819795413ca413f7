import { failureReason } from "@kubernaut/common";
import { z } from "zod";
import { type InvestigationFindings, InvestigationProviderError } from "../findings.js";
import type { InvestigationProvider, InvestigationRequest } from "../request.js";
import { chatOutputJsonSchema, parseChatOutput } from "./output-schema.js";
import { investigationMessages } from "./prompt.js";

export interface ChatInvestigationOptions {
  /** The server root; requests go to `{baseUrl}/v1/chat/completions`. */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
  /** `json_schema` (structured output) where the server supports it, else `json_object` (JSON mode). */
  responseFormat: "json_schema" | "json_object";
  fetch?: typeof fetch;
}

/** The part of a chat completion this provider reads. */
const ChatCompletion = z.object({
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullish(),
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
      }),
    )
    .min(1),
});

/** Investigates through an OpenAI-compatible chat completions endpoint with a structured JSON answer. */
export class ChatInvestigationProvider implements InvestigationProvider {
  readonly name = "openai";
  private readonly url: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ChatInvestigationOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, "")}/v1/chat/completions`;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async investigate(request: InvestigationRequest, signal: AbortSignal): Promise<InvestigationFindings> {
    const content = await this.complete(JSON.stringify(this.body(request)), signal);
    try {
      return parseChatOutput(content);
    } catch (error) {
      throw new InvestigationProviderError("malformed", (error as Error).message, { cause: error });
    }
  }

  private body(request: InvestigationRequest) {
    const response_format =
      this.options.responseFormat === "json_schema"
        ? {
            type: "json_schema",
            json_schema: { name: "investigation_findings", strict: true, schema: chatOutputJsonSchema() },
          }
        : { type: "json_object" };
    return {
      model: this.options.model,
      temperature: 0,
      messages: investigationMessages(request),
      response_format,
    };
  }

  private async complete(body: string, signal: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
    };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([signal, timeout]),
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) {
        throw new InvestigationProviderError(
          "timeout",
          `${this.url} gave no answer within ${this.options.timeoutMs} ms`,
        );
      }
      throw new InvestigationProviderError(
        "unavailable",
        `${this.url} could not be reached: ${failureReason(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) throw statusError(this.url, response.status, text);
    return readContent(this.url, text);
  }
}

function statusError(url: string, status: number, text: string): InvestigationProviderError {
  const message = `${url} answered ${status}: ${text.slice(0, 300)}`;
  if (status === 408) return new InvestigationProviderError("timeout", message);
  if (status === 429 || status >= 500) return new InvestigationProviderError("unavailable", message);
  return new InvestigationProviderError("rejected", message);
}

function readContent(url: string, text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvestigationProviderError("malformed", `${url} answered with a body that is not JSON`);
  }
  const completion = ChatCompletion.safeParse(json);
  if (!completion.success) {
    throw new InvestigationProviderError(
      "malformed",
      `${url} answered with something that is not a chat completion`,
    );
  }
  const choice = completion.data.choices[0];
  if (choice?.message.refusal) {
    throw new InvestigationProviderError("malformed", `the model refused: ${choice.message.refusal}`);
  }
  if (choice?.finish_reason === "length") {
    throw new InvestigationProviderError("malformed", "the model's answer was cut off at the token limit");
  }
  if (!choice?.message.content)
    throw new InvestigationProviderError("malformed", "the model's answer is empty");
  return choice.message.content;
}
