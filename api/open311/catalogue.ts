/**
 * The service catalogue: one service per case category (service_code = category), named and described in the
 * reader's language, and the attributes a request may carry.
 */
import { translator, type Lang } from '../../domain/i18n';
import { KINDS } from '../../domain/types';
import type { Store } from '../../store/models';
import type { Attribute, Service } from './schemas';

/** Categories offered even where no routing rule names them: those cases go to the region's general office. */
export const CATALOGUED = [
  'environment',
  'housing',
  'public_security',
  'labour',
  'transport',
  'education',
  'health',
  'urban_management',
  'other',
] as const;
type CataloguedService = (typeof CATALOGUED)[number];

export const isCatalogued = (code: string): code is CataloguedService =>
  (CATALOGUED as readonly string[]).includes(code);

/** A yes/no attribute, no when not given. */
function yesNo(code: string, order: number, description: string, lang: Lang): Attribute {
  const t = translator(lang);
  return {
    variable: true,
    code,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    order,
    description,
    values: [
      { key: 'false', name: t('open311.attribute.no') },
      { key: 'true', name: t('open311.attribute.yes') },
    ],
  };
}

/** What a request form asks for, in the reader's language: people fill it in from these descriptions. */
export function attributes(lang: Lang): Attribute[] {
  const t = translator(lang);
  return [
    {
      variable: true,
      code: 'region_code',
      datatype: 'string',
      required: true,
      datatype_description: t('open311.attribute.regionCode.datatype'),
      order: 1,
      description: t('open311.attribute.regionCode'),
    },
    {
      variable: true,
      code: 'kind',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: null,
      order: 2,
      description: t('open311.attribute.kind'),
      values: KINDS.map((key) => ({ key, name: t(`open311.kind.${key}`) })),
    },
    yesNo('confidential', 3, t('open311.attribute.confidential'), lang),
    yesNo('publication_consent', 4, t('open311.attribute.publicationConsent'), lang),
  ];
}

/** A category as a service; one no catalogue entry names (a routing rule's own) by its code. */
export function serviceOf(code: string, lang: Lang): Service {
  const t = translator(lang);
  const name = isCatalogued(code) ? t(`open311.service.${code}`) : t('open311.service.uncatalogued', { code });
  return {
    service_code: code,
    service_name: name,
    description: t('open311.service.description', { name }),
    metadata: true,
    type: 'batch',
    keywords: isCatalogued(code) ? t(`open311.service.${code}.keywords`) : '',
    group: 'letters_and_visits',
  };
}

/** The service codes: the catalogue's plus every category a routing rule names. */
export async function serviceCodes(store: Store): Promise<string[]> {
  const rules = await store.routingRules.find().select({ categories: 1 }).lean();
  return [...new Set<string>([...CATALOGUED, ...rules.flatMap((r) => r.categories ?? [])])].sort();
}

/** Intake needs only Temporal: while MongoDB is away, any well-formed category is taken and routed by the workflow. */
export async function isService(store: Store, code: string): Promise<boolean> {
  try {
    return (await serviceCodes(store)).includes(code);
  } catch {
    return isCatalogued(code) || /^[a-z][a-z0-9_]{1,39}$/.test(code);
  }
}
