/** Where cases live in the API. */
export const CASES_PATH = '/v1/cases';
