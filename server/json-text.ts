/**
 * An answer already written as JSON text, sent as is. A feed page is thousands of entries
 * the database keeps as JSON text: parsing each into an object only for the route to print
 * it again cost most of the platform's work per page. `T` is the shape the text has, so a
 * handler's type still says what it answers.
 */
export class JsonText<T> {
  declare readonly shape?: T;
  constructor(readonly text: string) {}
}

/** The answer as a value (to check it against its schema, or store it): text is parsed. */
export function jsonValue(body: unknown): unknown {
  return body instanceof JsonText ? (JSON.parse(body.text) as unknown) : body;
}
