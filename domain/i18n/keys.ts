/**
 * Type-level reading of the catalogue: its keys, and each key's parameters from its placeholders. A key that is not
 * in the catalogue, a missing parameter or an unknown one fails `tsc`.
 */
import type { en } from './en';
import type { zhCN } from './zh-CN';

type PluralSuffix = '_zero' | '_one' | '_two' | '_few' | '_many' | '_other';

/** `reminder.daysLeft_other` → `reminder.daysLeft`: i18next's plural forms are one key to the caller. */
export type BaseKey<K extends string> = K extends `${infer B}${PluralSuffix}` ? B : K;

/** Keys of a catalogue (its keys are all strings; `Extract` says so to the type checker). */
type KeysOf<C> = Extract<keyof C, string>;

export type MessageKey = BaseKey<KeysOf<typeof zhCN>>;

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type Name<P extends string> = Trim<P extends `${infer N},${string}` ? N : P>;
type Placeholders<S> = S extends `${string}{{${infer P}}}${infer Rest}` ? Name<P> | Placeholders<Rest> : never;

/** Every form of a key in one language's catalogue (`k`, `k_one`, `k_other`). */
type Forms<C, K extends string> = { [E in KeysOf<C>]: BaseKey<E> extends K ? C[E] : never }[KeysOf<C>];

/** Keys with plural forms: they take `count`, which chooses the form, whether or not a form prints it. */
type PluralKey = { [E in KeysOf<typeof en>]: E extends `${infer B}${PluralSuffix}` ? B : never }[KeysOf<typeof en>];

export type ParamName<K extends MessageKey> =
  Placeholders<Forms<typeof zhCN, K> | Forms<typeof en, K>> | (K extends PluralKey ? 'count' : never);
/**
 * A parameter's value: a word or number as it is, another message (rendered in the same language), or a list of
 * words and messages (joined as the language lists them).
 */
export type ParamValue = string | number | Message | readonly (string | Message)[];
export type Params<K extends MessageKey> = { [P in ParamName<K>]: P extends 'count' ? number : ParamValue };
/** No argument for a key without placeholders; its parameters otherwise. */
export type ParamsArg<K extends MessageKey> = [ParamName<K>] extends [never] ? [] : [params: Params<K>];

/** A message not yet rendered: what a refusal or a stored notice carries so each reader gets their language. */
export interface Message {
  key: MessageKey;
  params?: Record<string, ParamValue>;
}

type EnglishKey = BaseKey<KeysOf<typeof en>>;
/** Keys in one language and not in the other; must be `never` (see ./index.ts). */
export type UnmatchedKey = Exclude<MessageKey | EnglishKey, MessageKey & EnglishKey>;
