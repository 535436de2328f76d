/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-identities.c: who the user can send as. Each mail account sends as its
 * own address and as each of its aliases (kept in the account's identity source, where
 * Evolution keeps them too); a From names one of them by address, by "Name <address>"
 * or by the account's id. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include "kontor-mail-engine-private.h"
#include "kontor-mail-identities.h"

void
kontor_mail_from_free (KontorMailFrom *from)
{
  if (from == NULL)
    return;
  g_free (from->account_id);
  g_free (from->name);
  g_free (from->address);
  g_free (from);
}

/* "Name <address>", as the From list shows it. */
char *
kontor_mail_from_format (const KontorMailFrom *from)
{
  g_return_val_if_fail (from != NULL, NULL);
  return camel_internet_address_format_address (from->name, from->address);
}

static KontorMailFrom *
from_new (KontorAccount *account, const char *name, const char *address, gboolean alias)
{
  KontorMailFrom *from = g_new0 (KontorMailFrom, 1);

  from->account_id = g_strdup (kontor_account_get_id (account));
  from->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  from->address = g_strdup (address);
  from->alias = alias;
  return from;
}

/**
 * kontor_mail_identities_for_account:
 *
 * Returns: (transfer full) (element-type KontorMailFrom): the account's own address,
 *   then its aliases; empty when it has no address. An alias without a name is sent
 *   with the account's name.
 */
GPtrArray *
kontor_mail_identities_for_account (KontorAccount *account)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_mail_from_free);
  const KontorAccountSettings *settings = kontor_account_get_settings (account);
  const char *name =
    settings->full_name != NULL ? settings->full_name : kontor_account_get_display_name (account);

  if (settings->email == NULL || *settings->email == '\0')
    return list;
  g_ptr_array_add (list, from_new (account, name, settings->email, FALSE));
  for (guint i = 0; settings->aliases != NULL && settings->aliases[i] != NULL; i++)
    {
      g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
      const char *alias_name = NULL;
      const char *address = NULL;

      if (camel_address_decode (CAMEL_ADDRESS (parsed), settings->aliases[i]) > 0 &&
          camel_internet_address_get (parsed, 0, &alias_name, &address))
        g_ptr_array_add (
          list, from_new (account, alias_name != NULL && *alias_name != '\0' ? alias_name : name,
                          address, TRUE));
    }
  return list;
}

/**
 * kontor_mail_identities_find:
 * @from: (nullable): an address, "Name <address>" or the account's id
 *
 * Returns: (transfer full) (nullable): whom @from names among the account's
 *   addresses; its own address for its id
 */
KontorMailFrom *
kontor_mail_identities_find (KontorAccount *account, const char *from)
{
  g_autoptr (GPtrArray) list = kontor_mail_identities_for_account (account);
  g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
  const char *address = NULL;

  if (from == NULL || list->len == 0)
    return NULL;
  if (g_str_equal (from, kontor_account_get_id (account)))
    return g_ptr_array_steal_index (list, 0);
  if (camel_address_decode (CAMEL_ADDRESS (parsed), from) <= 0 ||
      !camel_internet_address_get (parsed, 0, NULL, &address))
    address = from;
  for (guint i = 0; i < list->len; i++)
    {
      KontorMailFrom *candidate = g_ptr_array_index (list, i);

      if (g_ascii_strcasecmp (candidate->address, address) == 0)
        return g_ptr_array_steal_index (list, i);
    }
  return NULL;
}

KontorAccountService *
kontor_mail_engine_get_account_service (KontorMailEngine *engine)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (engine), NULL);
  return engine->accounts_model;
}

/**
 * kontor_mail_identities_list:
 *
 * Returns: (transfer floating): aa{sv}, one per address of each mail account: "address",
 *   "name", "account-id", "alias" (b) and "signature" (s, "" for none)
 */
GVariant *
kontor_mail_identities_list (KontorAccountService *accounts)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; accounts != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (accounts)); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
      g_autoptr (GPtrArray) list = NULL;

      if (!kontor_account_has_service (account, "mail"))
        continue;
      list = kontor_mail_identities_for_account (account);
      for (guint j = 0; j < list->len; j++)
        {
          KontorMailFrom *from = g_ptr_array_index (list, j);
          g_autofree char *signature = kontor_mail_signatures_dup (from->address);
          GVariantDict dict;

          g_variant_dict_init (&dict, NULL);
          g_variant_dict_insert (&dict, "address", "s", from->address);
          g_variant_dict_insert (&dict, "name", "s", from->name != NULL ? from->name : "");
          g_variant_dict_insert (&dict, "account-id", "s", from->account_id);
          g_variant_dict_insert (&dict, "alias", "b", from->alias);
          g_variant_dict_insert (&dict, "signature", "s", signature != NULL ? signature : "");
          g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
        }
    }
  return g_variant_builder_end (&builder);
}
