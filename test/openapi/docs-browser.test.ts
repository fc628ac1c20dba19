import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createPostalApp } from '../../example/src/app';
import { EmbeddedStore } from '../../example/src/store/embedded-store';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(__dirname, '../../artifacts');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The example's docs page in a real browser over a real socket: Swagger UI loads from crest's
 * own asset routes, reads the served document, and "Try it out" calls the API through the
 * document's relative server URL.
 */
describe('the example docs page in headless Chromium', function () {
  this.timeout(120_000);
  let server: Server;
  let base: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const failures: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // CI installs chromium, so there a missing browser is a failure, not a skip.
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; .ci/run installs it`);
      console.warn(`    skipped: no ${CHROMIUM}; run: apt-get install -y chromium`);
      this.skip();
    }
    server = await createPostalApp(EmbeddedStore.fromJpPostal({})).listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'crest-docs-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => failures.push(`failed ${request.url()}`));
    page.on('pageerror', (error) => failures.push(`page error ${error.message}`));
  });

  after(async () => {
    await context?.close();
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  /** Opens an operation, fills it in with `fill`, executes it and reads its 200 JSON answer (a Chiyoda one). */
  async function tryItOut<T>(operation: Locator, fill: () => Promise<void>): Promise<T> {
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await fill();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const live = operation.locator('.live-responses-table tr.response');
    await live.locator('.response-col_status').waitFor();
    expect((await live.locator('.response-col_status').innerText()).trim()).to.equal('200');
    const body = live.locator('.response-col_description pre.microlight').first();
    await body.getByText('千代田').first().waitFor();
    return JSON.parse(await body.innerText()) as T;
  }

  it('renders the operations of the served document', async () => {
    await page.goto(`${base}/api/docs`);
    await page.locator('.information-container .title').getByText('Japanese postal codes').waitFor();
    const operation = page.locator('#operations-Postal-PostalController_lookup');
    await operation.waitFor();
    expect(await operation.locator('.opblock-summary-path').innerText()).to.equal('/postal_code');
  });

  it('executes the postal-code lookup from the page and shows the answer', async () => {
    const operation = page.locator('#operations-Postal-PostalController_lookup');
    const answer = await tryItOut<{ code: string; addresses: Array<{ address: string }> }>(operation, () =>
      operation.locator('tr[data-param-name="code"] input').fill('1000001'),
    );
    expect(answer.code).to.equal('1000001');
    expect(answer.addresses.map((a) => a.address)).to.include('東京都千代田区千代田');
    expect(await operation.locator('.request-url pre').innerText()).to.equal(`${base}/api/postal_code?code=1000001`);

    mkdirSync(ARTIFACTS, { recursive: true });
    await operation.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'docs.png'), fullPage: true });
  });

  it('offers a file input for the CSV upload and sends the file as multipart/form-data', async () => {
    const operation = page.locator('#operations-PostalUpload-PostalUploadController_upload');
    const answer = await tryItOut<{ items: Array<{ code: string }> }>(operation, async () => {
      const input = operation.locator('tr[data-property-name="codes"] input[type="file"]');
      await input.waitFor();
      await input.setInputFiles({ name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from('code\n1000001\n') });
    });
    expect(answer.items.map((item) => item.code)).to.deep.equal(['1000001']);
  });

  it('loaded every file without an error', () => {
    expect(failures).to.deep.equal([]);
  });
});
