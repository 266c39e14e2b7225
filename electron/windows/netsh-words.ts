// The words netsh prints, per language, from windows-commands.md §2 (labels and values of `show rule`) and §3
// (`show allprofiles`). Only words with evidence there are listed; a word not listed stays unknown, and the
// parsers never guess what it means. Lookups are case-insensitive after Unicode NFC normalization.

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

/** Label (as printed, before the colon) → field. en, de, fr, es, pt-BR, ja, zh-CN, ru. */
const LABELS: Record<RuleField, readonly string[]> = {
  name: [
    'Rule Name',
    'Regelname',
    'Nom de la règle',
    'Nombre de regla',
    'Nome da Regra',
    '規則名',
    '规则名称',
    'Имя правила',
  ],
  description: ['Description', 'Beschreibung'],
  enabled: ['Enabled', 'Aktiviert', 'Activé', 'Habilitada', 'Habilitado', '有効', '已启用', 'Включено'],
  direction: ['Direction', 'Richtung', 'Dirección', 'Direção', '方向', 'Направление'],
  profiles: ['Profiles', 'Profile', 'Perfiles', 'Perfis', 'プロファイル', '配置文件', 'Профили'],
  grouping: ['Grouping', 'Gruppierung', 'Groupement', 'Agrupamiento', 'Agrupamento', 'グループ', '分组'],
  localIp: ['LocalIP', 'Lokales IP', 'ローカル IP', '本地 IP'],
  remoteIp: ['RemoteIP', 'Remote-IP', 'リモート IP', '远程 IP', 'Удаленный IP-адрес'],
  protocol: ['Protocol', 'Protokoll', 'Protocole', 'Protocolo', 'プロトコル', '协议', 'Протокол'],
  localPort: ['LocalPort', 'Lokaler Port', 'ローカル ポート', '本地端口', 'Локальный порт'],
  remotePort: ['RemotePort', 'Remoteport', 'リモート ポート', '远程端口'],
  edgeTraversal: [
    'Edge traversal',
    'Edgeausnahme',
    'Traversée latérale',
    'Cruce seguro del perímetro',
    'Travessia da borda',
    'エッジ トラバーサル',
    '边缘遍历',
  ],
  program: ['Program', 'Programm', 'Programa', '程序'],
  service: ['Service', 'Dienst'],
  interfaceTypes: ['InterfaceTypes', 'Schnittstellentypen', 'Tipos de Interface'],
  security: ['Security', 'Sicherheit', 'Segurança'],
  ruleSource: ['Rule source', 'Regelquelle', 'Origem da Regra'],
  action: ['Action', 'Aktion', 'Acción', 'Ação', '操作', 'Действие'],
};

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

function index<T extends string>(table: Record<T, readonly string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [key, words] of Object.entries(table) as [T, readonly string[]][]) {
    for (const word of words) map.set(normalizeWord(word), key);
  }
  return map;
}

const LABEL_INDEX = index(LABELS);

export function ruleFieldOfLabel(label: string): RuleField | null {
  return LABEL_INDEX.get(normalizeWord(label)) ?? null;
}

/** Every known label, for scoring which code page decodes a file best. */
export const ALL_RULE_LABELS: readonly string[] = Object.values(LABELS).flat();

const YES_NO = index({
  yes: ['Yes', 'Ja', 'Oui', 'Sí', 'Sim', 'はい', '是', 'Да'],
  no: ['No', 'Nein', 'Non', 'Não', 'いいえ', '否'],
});

export function yesNo(value: string): boolean | null {
  const word = YES_NO.get(normalizeWord(value));
  return word === undefined ? null : word === 'yes';
}

// French prints "Actif" for inbound and Spanish "Dentro": translations are not a clean In/Out pair (§2 note 2).
const DIRECTIONS = index({
  in: ['In', 'Eingehend', 'Actif', 'Dentro', 'Entrada', '入力', '入', 'Входящие', 'Входящее'],
  out: ['Out', 'Aus', 'Исходящие'],
});

export function directionWord(value: string): 'in' | 'out' | null {
  return DIRECTIONS.get(normalizeWord(value)) ?? null;
}

const ANY = new Set(['Any', 'Beliebig', 'Tout', 'Cualquiera', 'Qualquer', '任意', '任何'].map(normalizeWord));

export function isAnyWord(value: string): boolean {
  return ANY.has(normalizeWord(value));
}

export type ProfileWord = 'domain' | 'private' | 'public';

const PROFILES = index<ProfileWord>({
  domain: ['Domain', 'Domäne', 'Domaine', 'Dominio', 'Domínio', 'ドメイン', '域'],
  private: ['Private', 'Privat', 'Privé', 'Privada', 'Particular', 'プライベート', '专用'],
  public: ['Public', 'Öffentlich', 'Pública', 'Público', 'パブリック', '公用'],
});

export function profileWord(value: string): ProfileWord | null {
  return PROFILES.get(normalizeWord(value)) ?? null;
}

export type RuleAction = 'allow' | 'block' | 'bypass';

const ACTIONS = index<RuleAction>({
  allow: ['Allow', 'Zulassen', 'Autoriser', 'Permitir', '許可', '允许', 'Разрешить'],
  block: ['Block', 'Blockieren', 'Bloquer', 'Bloquear', 'ブロック', '阻止', 'Блокировать'],
  bypass: ['Bypass'],
});

export function actionWord(value: string): RuleAction | null {
  return ACTIONS.get(normalizeWord(value)) ?? null;
}

/** Firewall state words of `show allprofiles` (§3): ON/OFF, German EIN/AUS, Chinese 打开/启用/开启 and 关闭/禁用. */
const STATES = index({ on: ['ON', 'EIN', '打开', '启用', '开启'], off: ['OFF', 'AUS', '关闭', '禁用'] });

export function firewallStateWord(value: string): 'on' | 'off' | null {
  return STATES.get(normalizeWord(value)) ?? null;
}

/** Which profile a `show allprofiles` block header names ("Domain Profile Settings:", "域配置文件 设置:"…). */
export function profileOfHeader(header: string): ProfileWord | null {
  const text = normalizeWord(header);
  const found: ProfileWord[] = [];
  if (/domain|domän|domaine|dominio|domínio|ドメイン|域/.test(text)) found.push('domain');
  if (/privat|privé|privada|particular|プライベート|专用/.test(text)) found.push('private');
  if (/public|öffentlich|pública|público|パブリック|公用/.test(text)) found.push('public');
  return found.length === 1 ? (found[0] ?? null) : null;
}
