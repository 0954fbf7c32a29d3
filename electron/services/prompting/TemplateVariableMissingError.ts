import { AppError } from '../../../shared/errors.js';

/** A template was rendered without a value for one of its `{{variable}}` placeholders. */
export class TemplateVariableMissingError extends AppError {
  constructor(
    readonly template: string,
    readonly variable: string,
  ) {
    super('TEMPLATE_VARIABLE_MISSING', `Template "${template}" needs a value for {{${variable}}}.`, {
      details: { template, variable },
      retryable: false,
    });
  }
}
