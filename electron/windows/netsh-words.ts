// The words netsh prints, one record per display language, each word taken from a real output kept in
// fixtures/ (the record names the files; a test checks that every word occurs in them). A language or a word
// without such a sample is left out: an unknown word stays unknown, and the parsers never guess what it means.
// Lookups are case-insensitive after Unicode NFC normalization and blank folding.

export type RuleField =
  | 'name'
  | 'description'
  | 'enabled'
  | 'direction'
  | 'profiles'
  | 'grouping'
  | 'localIp'
  | 'remoteIp'
  | 'protocol'
  | 'localPort'
  | 'remotePort'
  | 'edgeTraversal'
  | 'program'
  | 'service'
  | 'interfaceTypes'
  | 'security'
  | 'ruleSource'
  | 'action';

export type ProfileWord = 'domain' | 'private' | 'public';
export type RuleAction = 'allow' | 'block' | 'bypass';
export type ProfileKey = 'state' | 'policy' | 'logging';

/** The vocabulary of one display language, as data: printed word → canonical meaning. */
export interface NetshLanguage {
  /** BCP 47 tag of the Windows display language. */
  lang: string;
  /** The fixtures (file names in fixtures/) in which every word below occurs. */
  fixtures: readonly string[];
  /** `show rule` labels, as printed before the colon. */
  labels: Readonly<Record<string, RuleField>>;
  yesNo: Readonly<Record<string, 'yes' | 'no'>>;
  direction: Readonly<Record<string, 'in' | 'out'>>;
  /** The word for "Any" (addresses, ports, protocol, ICMP code). */
  any: readonly string[];
  profiles: Readonly<Record<string, ProfileWord>>;
  actions: Readonly<Record<string, RuleAction>>;
  /** The firewall state of `show allprofiles` / `show currentprofile`. */
  states: Readonly<Record<string, 'on' | 'off'>>;
  /** Setting keys of `show allprofiles` / `show currentprofile` that are translated (most stay English). */
  profileKeys: Readonly<Record<string, ProfileKey>>;
  /** Words kept although no sample shows them, each with the reason; the table test lists them. */
  unproven?: Readonly<Record<string, string>>;
}

export const NETSH_LANGUAGES: readonly NetshLanguage[] = [
  {
    lang: 'en',
    fixtures: [
      'netsh-showrule-en-1.txt',
      'netsh-showrule-en-4.txt',
      'netsh-showrule-verbose-en-1.txt',
      'netsh-showrule-verbose-en-3.txt',
      'netsh-transcript-set-show-en-1.txt',
      'netsh-transcript-show-set-en-2.txt',
      'netsh-showprofile-all-en-chaps-win10-cmd.txt',
      'netsh-showprofile-all-en-chaps-win7-psv2-filtered.txt',
    ],
    labels: {
      'Rule Name': 'name',
      Description: 'description',
      Enabled: 'enabled',
      Direction: 'direction',
      Profiles: 'profiles',
      Grouping: 'grouping',
      LocalIP: 'localIp',
      RemoteIP: 'remoteIp',
      Protocol: 'protocol',
      LocalPort: 'localPort',
      RemotePort: 'remotePort',
      'Edge traversal': 'edgeTraversal',
      Program: 'program',
      InterfaceTypes: 'interfaceTypes',
      Security: 'security',
      'Rule source': 'ruleSource',
      Action: 'action',
    },
    yesNo: { Yes: 'yes', No: 'no' },
    direction: { In: 'in', Out: 'out' },
    any: ['Any'],
    profiles: { Domain: 'domain', Private: 'private', Public: 'public' },
    actions: { Allow: 'allow', Block: 'block' },
    states: { ON: 'on', OFF: 'off' },
    profileKeys: { State: 'state', 'Firewall Policy': 'policy', Logging: 'logging' },
    unproven: {
      OFF: 'no sample of a switched-off firewall was found; OFF is the English counterpart of ON',
    },
  },
  {
    lang: 'de',
    fixtures: ['netsh-showrule-de-1.txt', 'netsh-showrule-verbose-de-1.txt'],
    labels: {
      Regelname: 'name',
      Beschreibung: 'description',
      Aktiviert: 'enabled',
      Richtung: 'direction',
      Profile: 'profiles',
      Gruppierung: 'grouping',
      'Lokales IP': 'localIp',
      'Remote-IP': 'remoteIp',
      Protokoll: 'protocol',
      'Lokaler Port': 'localPort',
      Remoteport: 'remotePort',
      Edgeausnahme: 'edgeTraversal',
      Programm: 'program',
      Dienst: 'service',
      Schnittstellentypen: 'interfaceTypes',
      Sicherheit: 'security',
      Regelquelle: 'ruleSource',
      Aktion: 'action',
    },
    yesNo: { Ja: 'yes', Nein: 'no' },
    // German netsh prints "Aus" (not "Ausgehend") for outbound.
    direction: { Eingehend: 'in', Aus: 'out' },
    any: ['Beliebig'],
    profiles: { Domäne: 'domain', Privat: 'private', Öffentlich: 'public' },
    actions: { Zulassen: 'allow' },
    states: {},
    profileKeys: {},
  },
  {
    lang: 'fr',
    fixtures: ['netsh-showrule-fr-1.txt'],
    labels: {
      'Nom de la règle': 'name',
      Activé: 'enabled',
      Direction: 'direction',
      Profiles: 'profiles',
      Groupement: 'grouping',
      LocalIP: 'localIp',
      RemoteIP: 'remoteIp',
      Protocole: 'protocol',
      'Traversée latérale': 'edgeTraversal',
      Action: 'action',
    },
    yesNo: { Oui: 'yes', Non: 'no' },
    // French netsh prints "Actif" (the word for "On") for inbound.
    direction: { Actif: 'in' },
    any: ['Tout'],
    profiles: { Domaine: 'domain', Privé: 'private', Public: 'public' },
    actions: { Autoriser: 'allow' },
    states: {},
    profileKeys: {},
  },
  {
    lang: 'es',
    fixtures: ['netsh-showrule-es-1.txt'],
    labels: {
      'Nombre de regla': 'name',
      Habilitada: 'enabled',
      Dirección: 'direction',
      Perfiles: 'profiles',
      Agrupamiento: 'grouping',
      LocalIP: 'localIp',
      RemoteIP: 'remoteIp',
      Protocolo: 'protocol',
      LocalPort: 'localPort',
      RemotePort: 'remotePort',
      'Cruce seguro del perímetro': 'edgeTraversal',
      Acción: 'action',
    },
    yesNo: { Sí: 'yes', No: 'no' },
    direction: { Dentro: 'in', Fuera: 'out' },
    any: ['Cualquiera'],
    profiles: { Dominio: 'domain', Privada: 'private', Pública: 'public' },
    actions: { Bloquear: 'block' },
    states: {},
    profileKeys: {},
  },
  {
    lang: 'pt-BR',
    fixtures: ['netsh-showrule-verbose-pt-BR-1.txt'],
    labels: {
      'Nome da Regra': 'name',
      Habilitado: 'enabled',
      Direção: 'direction',
      Perfis: 'profiles',
      Agrupamento: 'grouping',
      LocalIP: 'localIp',
      RemoteIP: 'remoteIp',
      Protocolo: 'protocol',
      'Travessia da borda': 'edgeTraversal',
      Programa: 'program',
      'Tipos de Interface': 'interfaceTypes',
      Segurança: 'security',
      'Origem da Regra': 'ruleSource',
      Ação: 'action',
    },
    yesNo: { Sim: 'yes', Não: 'no' },
    direction: { Entrada: 'in' },
    any: ['Qualquer'],
    profiles: { Domínio: 'domain', Particular: 'private', Público: 'public' },
    actions: { Permitir: 'allow' },
    states: {},
    profileKeys: {},
  },
  {
    lang: 'ja',
    fixtures: ['netsh-showrule-ja-1.txt'],
    labels: {
      規則名: 'name',
      有効: 'enabled',
      方向: 'direction',
      プロファイル: 'profiles',
      グループ: 'grouping',
      'ローカル IP': 'localIp',
      'リモート IP': 'remoteIp',
      プロトコル: 'protocol',
      'ローカル ポート': 'localPort',
      'リモート ポート': 'remotePort',
      'エッジ トラバーサル': 'edgeTraversal',
      操作: 'action',
    },
    yesNo: { はい: 'yes', いいえ: 'no' },
    direction: { 入力: 'in' },
    any: ['任意'],
    profiles: { ドメイン: 'domain', プライベート: 'private', パブリック: 'public' },
    actions: { 許可: 'allow' },
    states: {},
    profileKeys: {},
  },
  {
    lang: 'zh-CN',
    fixtures: [
      'netsh-showrule-zh-CN-1.txt',
      'netsh-showprofile-all-zh-CN-1.txt',
      'netsh-showprofile-current-zh-CN-1.txt',
    ],
    labels: {
      规则名称: 'name',
      已启用: 'enabled',
      方向: 'direction',
      配置文件: 'profiles',
      分组: 'grouping',
      '本地 IP': 'localIp',
      '远程 IP': 'remoteIp',
      协议: 'protocol',
      本地端口: 'localPort',
      远程端口: 'remotePort',
      边缘遍历: 'edgeTraversal',
      操作: 'action',
    },
    yesNo: { 是: 'yes', 否: 'no' },
    direction: { 入: 'in' },
    any: ['任何'],
    profiles: { 域: 'domain', 专用: 'private', 公用: 'public' },
    actions: { 允许: 'allow' },
    // Windows 7 prints 打开 for ON, the later sample 启用; no sample of a switched-off firewall was found.
    states: { 打开: 'on', 启用: 'on' },
    profileKeys: { 状态: 'state', 防火墙策略: 'policy', 日志: 'logging' },
  },
  {
    // Only the lines a `findstr "80"` kept: four labels, no value words.
    lang: 'zh-TW',
    fixtures: ['netsh-showrule-findstr-zh-TW-1.txt'],
    labels: {
      規則名稱: 'name',
      群組: 'grouping',
      LocalIP: 'localIp',
      RemoteIP: 'remoteIp',
      本機連接埠: 'localPort',
      遠端連接埠: 'remotePort',
    },
    yesNo: {},
    direction: {},
    any: [],
    profiles: {},
    actions: {},
    states: {},
    profileKeys: {},
  },
];

/** Lower-case, NFC, one space between words, no ideographic spaces: how labels and words are compared. */
const normalized = new Map<string, string>();

export function normalizeWord(text: string): string {
  // Labels and value words repeat on every rule of a 5,000-rule output: remember the few hundred seen.
  const known = normalized.get(text);
  if (known !== undefined) return known;
  const result = text
    .normalize('NFC')
    .replace(/[\s\u3000\u00a0]+/g, ' ')
    .trim()
    .toLowerCase();
  if (normalized.size < 4096) normalized.set(text, result);
  return result;
}

type Table<T> = Readonly<Record<string, T>>;

/**
 * One lookup over every language. A word that two languages give different meanings would be a guess
 * either way, so it is left out of the index (the table test keeps there being none).
 */
function index<T extends string>(pick: (language: NetshLanguage) => Table<T>): Map<string, T> {
  const map = new Map<string, T>();
  const conflicting = new Set<string>();
  for (const language of NETSH_LANGUAGES) {
    for (const [word, meaning] of Object.entries(pick(language))) {
      const key = normalizeWord(word);
      const previous = map.get(key);
      if (previous !== undefined && previous !== meaning) conflicting.add(key);
      map.set(key, meaning);
    }
  }
  for (const key of conflicting) map.delete(key);
  return map;
}

const LABEL_INDEX = index((language) => language.labels);
const YES_NO = index((language) => language.yesNo);
const DIRECTIONS = index((language) => language.direction);
const PROFILES = index((language) => language.profiles);
const ACTIONS = index((language) => language.actions);
const STATES = index((language) => language.states);
const PROFILE_KEYS = index((language) => language.profileKeys);
const ANY = new Set(NETSH_LANGUAGES.flatMap((language) => language.any.map(normalizeWord)));

export function ruleFieldOfLabel(label: string): RuleField | null {
  return LABEL_INDEX.get(normalizeWord(label)) ?? null;
}

/** Every known label, for scoring which code page decodes a file best. */
export const ALL_RULE_LABELS: readonly string[] = [
  ...new Set(NETSH_LANGUAGES.flatMap((language) => Object.keys(language.labels))),
];

export function yesNo(value: string): boolean | null {
  const word = YES_NO.get(normalizeWord(value));
  return word === undefined ? null : word === 'yes';
}

export function directionWord(value: string): 'in' | 'out' | null {
  return DIRECTIONS.get(normalizeWord(value)) ?? null;
}

export function isAnyWord(value: string): boolean {
  return ANY.has(normalizeWord(value));
}

export function profileWord(value: string): ProfileWord | null {
  return PROFILES.get(normalizeWord(value)) ?? null;
}

export function actionWord(value: string): RuleAction | null {
  return ACTIONS.get(normalizeWord(value)) ?? null;
}

export function profileKeyOf(key: string): ProfileKey | null {
  return PROFILE_KEYS.get(normalizeWord(key)) ?? null;
}

export function firewallStateWord(value: string): 'on' | 'off' | null {
  return STATES.get(normalizeWord(value)) ?? null;
}

/** Profile words as they may appear inside a header ("Domain Profile Settings", "Domänenprofil…"). */
const HEADER_WORDS: readonly [string, ProfileWord][] = [...PROFILES].sort(([a], [b]) => b.length - a.length);

/**
 * Which profile a `show allprofiles` block header names: the profile words of the rule output, found inside
 * the header. A header that names none, or several, gives null.
 */
export function profileOfHeader(header: string): ProfileWord | null {
  const text = normalizeWord(header);
  const found = new Set<ProfileWord>();
  for (const [word, profile] of HEADER_WORDS) {
    // Single CJK characters such as 域 are words on their own; Latin words must start a word.
    const at = text.indexOf(word);
    if (at < 0) continue;
    const before = text.charAt(at - 1);
    if (at > 0 && /[\p{L}\p{N}]/u.test(before) && /^[\p{Script=Latin}]/u.test(word)) continue;
    found.add(profile);
  }
  return found.size === 1 ? ([...found][0] ?? null) : null;
}
