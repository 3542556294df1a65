/** How roles, town scopes and audit actions read in the current language. */
import type { Role, TownScope } from './account-types';
import { hasMessage, locale, t } from './i18n';
import { townName } from './ui-state';

export function roleLabel(role: Role | string): string {
  const key = `role.${role}`;
  return hasMessage(key) ? t(key) : role;
}

/** "全县" for the whole county, else the town names. */
export function scopeLabel(towns: TownScope | undefined): string {
  if (towns === null || towns === undefined) return t('scope.county');
  if (towns.length === 0) return t('scope.none');
  return towns.map((code) => townName(code)).join(locale.value === 'zh' ? '、' : ', ');
}

/** A known audit action's label ("登录 auth.login" reads worse than "登录"), else the action itself. */
export function actionLabel(action: string): string {
  const key = `action.${action}`;
  return hasMessage(key) ? t(key) : action;
}
