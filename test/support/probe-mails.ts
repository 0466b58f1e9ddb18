/** Probe mails for tests: built by the fixture generator's builder, which the golden probe fixtures use too. */
export * from '../../fixtures/generator/probe-mail.js';
