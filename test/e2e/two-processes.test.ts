// A web chat across two central server processes on one PostgreSQL database,
// in real Chromium: the adviser's desk (browser mode) talks to one process and
// the young person's chat page is served by the other, as a load balancer
// would spread them. Routing lives in one of the two; the offer, the answer
// and the messages cross between them.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/postgres';
import { testDatabase, type TestDatabase } from '../support/storage';
import {
  launchBrowser,
  openSignedInDesk,
  startProduct,
  startSecondServer,
  type Product,
} from './harness';
import { CustomerChatPage, DeskChatPage } from './pages/chat';

let browser: Browser | null = null;
let where: TestDatabase | null = null;
let product: Product | null = null;
let second: Awaited<ReturnType<typeof startSecondServer>> | null = null;

// Off CI, a machine without PostgreSQL skips this file; under CI it fails (test/support/postgres.ts).
describe.skipIf(!postgresAvailable() && !process.env.CI)(
  'a web chat across two server processes',
  () => {
    beforeAll(async () => {
      browser = await launchBrowser();
      where = await testDatabase('postgres', 'e2e-two-processes');
      const options = { databaseUrl: where.databaseUrl };
      product = await startProduct(options);
      second = await startSecondServer(product, options);
    });

    afterAll(async () => {
      await browser?.close();
      await second?.stop();
      await product?.stop();
      await where?.drop();
    });

    it('a young person on one process and the adviser on the other chat in order', async () => {
      if (!browser || !product || !second) throw new Error('the product did not start');
      const deskPage = await openSignedInDesk(browser, product, 'demo-adviser');
      const chat = new DeskChatPage(deskPage);
      await chat.setAvailability('Available');

      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const customerTab = await context.newPage();
      const customer = new CustomerChatPage(customerTab);
      await customer.open(second.url);
      await customer.start('Ria', 17);

      await chat.offer().waitFor();
      await expect(chat.offer().innerText()).resolves.toMatch(/Ria, aged 17/);
      await chat.accept();
      await customer.waitForAdviser();

      await customer.send('Hello, can I do an apprenticeship in nursing?');
      await chat.waitForMessage('Ria', 'Hello, can I do an apprenticeship in nursing?');
      await chat.send('Ria', 'Yes: nursing degree apprenticeships take about four years.');
      await customer.waitForMessage('Yes: nursing degree apprenticeships take about four years.');
      const inOrder = [
        'Hello, can I do an apprenticeship in nursing?',
        'Yes: nursing degree apprenticeships take about four years.',
      ];
      await expect(chat.messageTexts('Ria')).resolves.toEqual(inOrder);
      await expect(customer.messageTexts()).resolves.toEqual(inOrder);

      // One of the two routed the chat, and said so when it started.
      const routing = product.log.filter((line) => line.includes('routing: this process routes'));
      expect(routing).toHaveLength(1);
      await context.close();
    });
  },
);
