import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { startBrowserHost } from '../../electron/browser-host';
import { type Platform, startPlatform } from '../../server/index';
import type { Message } from '../../shared/protocol';
import { createApi, type TestApi, type TestCreator, type TestUser } from '../helpers/server';
import { type AppFixture, expect, test } from './fixtures';

/**
 * Shared steps of the renderer's end-to-end specs: a real platform on loopback (PGlite),
 * a creator with paid messages from fans, and the app connected to it through the form a
 * person uses. The platform runs on the wall clock, like the core and the page.
 */
export interface Scenario {
  api: TestApi;
  platform: Platform;
  creator: TestCreator;
  fans: TestUser[];
  messages: Message[];
  /** Moves the platform's clock forward (presence lapsing, deadlines passing) without waiting. */
  advanceClock(ms: number): void;
  /** Stops the platform (the app goes offline); `restart` brings it back with its data. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  messages?: readonly { body: string; fan?: number }[];
  fans?: string[];
  price?: { minor: number; currency: string };
  /** The platform's clock ahead of (or, negative, behind) the device's, in ms. */
  platformClockOffsetMs?: number;
  /** Read on every use, so a spec can send messages "hours ago" before the app connects. */
  shiftMs?: () => number;
}

/** Four short questions from three fans, in order: the triage specs' inbox (take the first n). */
export const QUESTIONS: readonly { body: string; fan: number }[] = [
  { body: 'First: a birthday shout-out please', fan: 0 },
  { body: 'Second: which camera do you use?', fan: 1 },
  { body: 'Third: can you say hi to my class?', fan: 2 },
  { body: 'Fourth: any advice for new creators?', fan: 0 },
];

export async function startScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  const dataDir = mkdtempSync(join(tmpdir(), 'creator-inbox-e2e-platform-'));
  let offsetMs = options.platformClockOffsetMs ?? 0;
  const shift = options.shiftMs ?? (() => 0);
  const wallClock = { now: () => Date.now() + offsetMs + shift() };
  const launch = (port: number) =>
    startPlatform({
      dataDir,
      port,
      clock: wallClock,
      passwordHashing: 'fast',
      rateLimits: {
        signIn: { max: 10_000, timeWindowMs: 60_000 },
        authPerAddress: { max: 100_000, timeWindowMs: 60_000 },
        sendMessage: { max: 10_000, timeWindowMs: 60_000 },
      },
    });
  let platform = await launch(0);
  const port = Number(new URL(platform.url).port);
  let running = true;
  const api = createApi(platform.url, {
    checkInvariants: () => platform.checkInvariants(),
    runExpiry: () => platform.runExpiry(),
  });
  const creator = await api.signUpCreator({
    displayName: 'Nour Creator',
    price: options.price ?? { minor: 2500, currency: 'USD' },
  });
  const fans: TestUser[] = [];
  for (const name of options.fans ?? ['Layla Haddad', 'Sam Carter', 'Omar Nasser']) {
    fans.push(await api.signUpFan({ displayName: name }));
  }
  const messages: Message[] = [];
  const wanted = options.messages ?? [
    { body: 'Could you record a birthday message for my sister?' },
    { body: 'هل يمكنك أن ترسل تحية لأخي في عيد ميلاده؟', fan: 1 },
    { body: 'What camera do you use for your travel videos?', fan: 2 },
  ];
  for (const [i, m] of wanted.entries()) {
    const fan = fans[m.fan ?? i % fans.length] as TestUser;
    messages.push(await api.sendPaidMessage(fan, creator, m.body, { fund: true }));
  }
  return {
    api,
    get platform() {
      return platform;
    },
    creator,
    fans,
    messages,
    advanceClock(ms) {
      offsetMs += ms;
    },
    async stop() {
      if (!running) return;
      running = false;
      await platform.close();
    },
    async restart() {
      if (running) return;
      platform = await launch(port);
      running = true;
    },
    async close() {
      if (running) await platform.close();
      running = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sets the creator's response window (whole hours, 1 h to 30 days): messages sent after it have it. */
export async function setResponseWindow(scenario: Scenario, ms: number): Promise<void> {
  await scenario.api.ok('updateSettings', {
    token: scenario.creator.token,
    params: { inboxId: scenario.creator.inboxId },
    body: { responseWindowMs: ms },
  });
}

/** Signs the app in to the scenario's platform through the connect form, as the creator. */
export async function connectApp(page: Page, hostUrl: string, scenario: Scenario, user: TestUser = scenario.creator) {
  await page.goto(hostUrl);
  await page.getByLabel('Platform address').fill(scenario.platform.url);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(messageList(page)).toBeVisible({ timeout: 30_000 });
}

/**
 * The notices list: it lives behind the bell in the top bar (issue 12: one list, not a
 * stack over the inbox). Opens it when it is closed and returns the list's region.
 */
export async function openNotices(page: Page) {
  // By class, so it serves every language (its name is "Notices" in English).
  const region = page.locator('section.notices');
  if (!(await region.isVisible())) await page.locator('button.notices-button').click();
  await expect(region).toBeVisible();
  return region;
}

export const messageList = (page: Page) => page.locator('#message-list[role="listbox"]');
export const rows = (page: Page) => messageList(page).getByRole('option');
export const focusedRow = (page: Page) => messageList(page).locator('[role="option"].is-focused');

/** Rows appear after the first sync; waits for `count` of them. */
export async function waitForRows(page: Page, count: number) {
  await expect(rows(page)).toHaveCount(count, { timeout: 30_000 });
}

/** A manager with a person's name, invited to the creator's inbox: the "second client". */
export async function addManager(scenario: Scenario, displayName: string): Promise<TestUser> {
  const { api, creator } = scenario;
  const user = await api.signUpFan({ displayName });
  const invitation = await api.ok('invite', {
    token: creator.token,
    params: { inboxId: creator.inboxId },
    body: { email: user.email, permissions: ['accept', 'refund', 'reply'] },
  });
  await api.ok('acceptInvitation', {
    token: user.token,
    params: { invitationId: invitation.id },
    body: { code: invitation.code },
  });
  return user;
}

/** The platform's word on a message's status, asked as the creator. */
export async function statusOnPlatform(scenario: Scenario, messageId: string): Promise<string | undefined> {
  const index = scenario.messages.findIndex((m) => m.id === messageId);
  const fan = scenario.fans.find((f) => f.id === scenario.messages[index]?.fanId);
  return fan ? scenario.api.messageStatus(fan, messageId) : undefined;
}

export interface ScenarioTestOptions extends ScenarioOptions {
  /** The test's time limit: a real platform, host and browser on a shared machine. */
  timeout: number;
  /** Connects the app as the creator and waits for this many rows before the steps; unset leaves the page alone. */
  rows?: number;
}

/**
 * Runs a test's steps on a scenario of its own: started before them, closed after them
 * whatever happens, with the app connected first when `rows` says how many rows to wait for.
 */
export async function inScenario(
  app: AppFixture,
  options: ScenarioTestOptions,
  steps: (scenario: Scenario, app: AppFixture) => Promise<void>,
): Promise<void> {
  const { page, host } = app;
  test.setTimeout(options.timeout);
  const scenario = await startScenario(options);
  try {
    if (options.rows !== undefined) {
      await connectApp(page, host.url, scenario);
      await waitForRows(page, options.rows);
    }
    await steps(scenario, app);
  } finally {
    await scenario.close();
  }
}

/** A second device: its own browser host (own core, own data folder), for a second person. */
export async function secondHost() {
  const dataDir = mkdtempSync(join(tmpdir(), 'creator-inbox-e2e-b-'));
  const host = await startBrowserHost({ dataDir, port: 0, open: false, build: 'never' });
  return {
    /** A fresh one-time launch address each time it is read, as the host fixture gives. */
    get url() {
      return host.newLaunchUrl();
    },
    async stop() {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The pane's presence line: who else is on the open message. */
export const presenceLine = (page: Page) => page.getByTestId('presence');
/** "Sara is replying", the name wrapped in Unicode isolates so it cannot reorder the sentence. */
export const presenceSays = (name: string, state: 'viewing' | 'replying') =>
  new RegExp(`^\u2068${name}\u2069 is ${state}$`);

export interface TwoManagers {
  scenario: Scenario;
  /** Sara Okafor's page, on the test's host. */
  a: Page;
  /** Badr Haddad's page, on a second host: another device with its own core. */
  b: Page;
  sara: TestUser;
  badr: TestUser;
  /** The first message, open on both. */
  target: Message;
}

/** Two managers of one inbox on two devices, both with the first message open; all closed after the steps. */
export async function withTwoManagers(browser: Browser, hostUrl: string, steps: (t: TwoManagers) => Promise<void>) {
  test.setTimeout(180_000);
  const scenario = await startScenario();
  const hostB = await secondHost();
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  try {
    const sara = await addManager(scenario, 'Sara Okafor');
    const badr = await addManager(scenario, 'Badr Haddad');
    const a = await contextA.newPage();
    const b = await contextB.newPage();
    await connectApp(a, hostUrl, scenario, sara);
    await connectApp(b, hostB.url, scenario, badr);
    await waitForRows(a, 3);
    await waitForRows(b, 3);
    const target = scenario.messages[0];
    if (!target) throw new Error('no message');
    await expect(focusedRow(a)).toHaveAttribute('id', `msg-${target.id}`);
    await expect(focusedRow(b)).toHaveAttribute('id', `msg-${target.id}`);
    await steps({ scenario, a, b, sara, badr, target });
  } finally {
    await contextA.close();
    await contextB.close();
    await hostB.stop();
    await scenario.close();
  }
}
