/** Starting points for the schema editor. */
export const SCHEMA_TEMPLATES: { id: string; label: string; schema: object; sample: string }[] = [
  {
    id: 'invoice',
    label: 'Invoice',
    schema: {
      type: 'object',
      properties: {
        invoiceNumber: { type: 'string', pattern: '^[A-Z]{2,4}-\\d{3,8}$' },
        issueDate: { type: 'string', format: 'date' },
        currency: { enum: ['EUR', 'USD', 'GBP'] },
        total: { type: 'integer', minimum: 0, maximum: 10000000 },
        paid: { type: 'boolean' },
      },
      required: ['invoiceNumber', 'issueDate', 'currency', 'total'],
      additionalProperties: false,
    },
    sample: 'INVOICE INV-20931\nIssued 2026-03-14 by Northwind Traders.\nTotal due: 1,240 EUR. Status: unpaid.',
  },
  {
    id: 'person',
    label: 'Person',
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 80 },
        age: { type: 'integer', minimum: 0, maximum: 130 },
        occupation: { type: 'string', maxLength: 60 },
      },
      required: ['name'],
      additionalProperties: false,
    },
    sample: 'Ada Lovelace, 36, mathematician and writer, worked with Charles Babbage on the Analytical Engine.',
  },
  {
    id: 'contact',
    label: 'Contact details',
    schema: {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        phone: { type: 'string', pattern: '^\\+?[0-9 ()-]{7,20}$' },
        website: { type: 'string', maxLength: 100 },
      },
      required: ['email'],
      additionalProperties: false,
    },
    sample: 'Reach our support desk at help@example.org or +44 20 7946 0958. Docs: docs.example.org',
  },
];
