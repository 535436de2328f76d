/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-verifier.c: account verification against real servers, and the trust store. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <glib/gstdio.h>

#include "kontor-error.h"
#include "kontor-trust-store.h"
#include "kontor-camel-session.h"
#include "kontor-verification.h"
#include "kontor-verifier.h"

#define TIMEOUT 2

typedef struct
{
  KontorTrustStore *trust;
  KontorCamelSession *session;
  KontorVerifier *verifier;
  GTlsCertificate *ca;
  const char *host;
} Fixture;

typedef struct
{
  KontorVerification *verification;
  GError *error;
  gboolean done;
} Result;

static gboolean
have_servers (void)
{
  if (g_getenv ("KONTOR_TEST_SERVERS_DIR") != NULL)
    return TRUE;
  g_test_skip ("needs the test servers (run under tests/servers/with-servers.sh)");
  return FALSE;
}

static guint16
env_port (const char *name)
{
  const char *value = g_getenv (name);

  g_assert_nonnull (value);
  return (guint16) g_ascii_strtoull (value, NULL, 10);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("trusted-certificates-%u.ini", ++counter);
  g_autofree char *trust_path = g_build_filename (g_get_user_config_dir (), "kontor", name, NULL);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kontor", "mail", NULL);
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "kontor", "mail", NULL);
  g_autoptr (GError) error = NULL;

  f->trust = kontor_trust_store_new (trust_path);
  f->session = kontor_camel_session_new (data_dir, cache_dir, f->trust);
  f->verifier = kontor_verifier_new (f->session, f->trust);
  kontor_verifier_set_timeout (f->verifier, TIMEOUT);
  f->host = g_getenv ("KONTOR_TEST_HOST");

  if (g_getenv ("KONTOR_TEST_CA_CERT") != NULL)
    {
      f->ca = g_tls_certificate_new_from_file (g_getenv ("KONTOR_TEST_CA_CERT"), &error);
      g_assert_no_error (error);
    }
}

/* Objects of finished tests not finalized yet: a connection attempt abandoned after a
 * timeout still holds them until Camel gives up by itself. */
static gint alive;

static void
finalized_cb (gpointer data, GObject *where_the_object_was)
{
  g_atomic_int_dec_and_test (&alive);
}

static void
track (gpointer object)
{
  g_atomic_int_inc (&alive);
  g_object_weak_ref (object, finalized_cb, NULL);
}

/* Iterates the main context until every tracked object is gone or SECONDS passed. */
static gboolean
await_finalized (double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_atomic_int_get (&alive) > 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (G_USEC_PER_SEC / 100);
  return g_atomic_int_get (&alive) == 0;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  track (f->verifier);
  track (f->session);
  track (f->trust);
  g_clear_object (&f->verifier);
  g_clear_object (&f->session);
  g_clear_object (&f->trust);
  g_clear_object (&f->ca);
  if (!await_finalized (0.5))
    g_test_message ("still alive after %s: %d", g_test_get_path (), g_atomic_int_get (&alive));
}

/* The folders Camel made for the temporary services of all the checks. */
static guint
count_temporary_folders (void)
{
  const char *bases[] = { g_get_user_data_dir (), g_get_user_cache_dir () };
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autofree char *path = g_build_filename (bases[i], "kontor", "mail", NULL);
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        count += g_str_has_prefix (name, "kontor-temporary-");
    }
  return count;
}

/* Last: nothing leaks, and Camel's temporary services leave no folders behind once
 * Camel lets go of them (after its 5 s reachability timer). */
static void
test_everything_finalized (void)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (await_finalized (20));
  while (count_temporary_folders () > 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (G_USEC_PER_SEC / 50);
  g_assert_cmpuint (count_temporary_folders (), ==, 0);
}

static void
verify_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->verification = kontor_verifier_verify_finish (KONTOR_VERIFIER (object), result, &r->error);
  r->done = TRUE;
}

/* Verifies and waits, returning how long it took in seconds. */
static KontorVerification *
verify_full (Fixture *f,
             const KontorAccountSettings *settings,
             const char *password,
             GCancellable *cancellable,
             GError **error,
             double *out_seconds)
{
  Result r = { 0 };
  gint64 began = g_get_monotonic_time ();

  kontor_verifier_verify_async (f->verifier, settings, password, NULL, NULL, cancellable, verify_cb,
                                &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);

  if (out_seconds != NULL)
    *out_seconds = (g_get_monotonic_time () - began) / (double) G_USEC_PER_SEC;
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.verification;
}

static KontorVerification *
verify (Fixture *f, const KontorAccountSettings *settings, const char *password)
{
  g_autoptr (GError) error = NULL;
  KontorVerification *verification = verify_full (f, settings, password, NULL, &error, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (verification);
  return verification;
}

static KontorAccountSettings *
imap_settings (const char *host, guint16 port, KontorSecurity security, const char *user)
{
  g_autofree char *email = g_strdup_printf ("%s@%s", user, g_getenv ("KONTOR_TEST_MAIL_DOMAIN"));
  KontorAccountSettings *settings = kontor_account_settings_new (email);

  settings->username = g_strdup (user);
  settings->imap_host = g_strdup (host);
  settings->imap_port = port;
  settings->imap_security = security;
  return settings;
}

static KontorAccountSettings *
smtp_settings (const char *host, guint16 port, KontorSecurity security)
{
  g_autofree char *email = g_strdup_printf ("test@%s", g_getenv ("KONTOR_TEST_MAIL_DOMAIN"));
  KontorAccountSettings *settings = kontor_account_settings_new (email);

  settings->username = g_strdup ("test");
  settings->smtp_host = g_strdup (host);
  settings->smtp_port = port;
  settings->smtp_security = security;
  return settings;
}

static void
pin_ca (Fixture *f, const char *host, guint16 port)
{
  g_autoptr (GError) error = NULL;

  kontor_trust_store_pin (f->trust, host, port, f->ca, &error);
  g_assert_no_error (error);
}

static void
assert_ok (KontorVerification *verification, const char *service)
{
  g_assert_true (kontor_verification_has_service (verification, service));
  g_assert_no_error (kontor_verification_get_error (verification, service));
}

/* The error a user sees: its code, and a message naming the server. */
static void
assert_failed (KontorVerification *verification,
               const char *service,
               KontorError code,
               const char *names)
{
  const GError *error = kontor_verification_get_error (verification, service);

  g_assert_true (kontor_verification_has_service (verification, service));
  g_assert_error (error, KONTOR_ERROR, (int) code);
  g_test_message ("%s: %s", service, error->message);
  if (names != NULL && strstr (error->message, names) == NULL)
    g_error ("“%s” does not name %s", error->message, names);
  g_assert_false (kontor_verification_is_ok (verification));
}

/* What `openssl x509 -fingerprint -sha256` says about a PEM file. */
static char *
openssl_sha256 (const char *path)
{
  const char *argv[] = {
    "openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", path, NULL
  };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status;
  const char *equals;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  equals = strchr (out, '=');
  g_assert_nonnull (equals);
  return g_strstrip (g_strdup (equals + 1));
}

static char *
make_certificate (const char *dir, const char *cn)
{
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);
  const char *argv[] = {
    "openssl", "req",   "-x509", "-newkey", "ec",    "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes",  "-days", "2",     "-subj",   subject, "-keyout",  key,
    "-out",    cert,    NULL
  };
  g_autoptr (GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&cert);
}

/* ------------------------------------------------------------------ trust store */

static void
count_cb (KontorTrustStore *store, const char *host, guint port, guint *count)
{
  g_assert_cmpstr (host, ==, "mail.example.org");
  g_assert_cmpuint (port, ==, 993);
  (*count)++;
}

static void
test_trust_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kontor-trust-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "trusted-certificates.ini", NULL);
  g_autofree char *sub_dir = g_path_get_dirname (path);
  g_autofree char *cert_path = make_certificate (dir, "mail.example.org");
  g_autofree char *key_path = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *expected = openssl_sha256 (cert_path);
  g_autoptr (GTlsCertificate) cert = g_tls_certificate_new_from_file (cert_path, NULL);
  g_autoptr (KontorTrustStore) store = kontor_trust_store_new (path);
  g_autoptr (KontorTrustStore) reloaded = NULL;
  g_autoptr (KontorTrustStore) emptied = NULL;
  g_autoptr (GTlsCertificate) pinned = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *contents = NULL;
  guint changed = 0;

  g_assert_nonnull (cert);
  sha256 = kontor_certificate_dup_sha256 (cert);
  g_assert_cmpstr (sha256, ==, expected);
  g_assert_cmpuint (strlen (sha256), ==, 32 * 3 - 1);
  subject = kontor_certificate_dup_subject (cert);
  issuer = kontor_certificate_dup_issuer (cert);
  g_assert_cmpstr (subject, ==, "CN=mail.example.org");
  g_assert_cmpstr (issuer, ==, "CN=mail.example.org");

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);

  g_assert_false (kontor_trust_store_is_pinned (store, "mail.example.org", 993, cert));
  kontor_trust_store_pin (store, "Mail.Example.org", 993, cert, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (kontor_trust_store_is_pinned (store, "mail.example.org", 993, cert));
  /* Per host and port: no other port, no other host. */
  g_assert_false (kontor_trust_store_is_pinned (store, "mail.example.org", 143, cert));
  g_assert_false (kontor_trust_store_is_pinned (store, "imap.example.org", 993, cert));

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, sha256));

  reloaded = kontor_trust_store_new (path);
  g_assert_true (kontor_trust_store_is_pinned (reloaded, "mail.example.org", 993, cert));
  pinned = kontor_trust_store_dup_certificate (reloaded, "mail.example.org", 993);
  g_assert_nonnull (pinned);
  g_assert_true (g_tls_certificate_is_same (pinned, cert));
  g_assert_null (kontor_trust_store_dup_certificate (reloaded, "mail.example.org", 143));

  kontor_trust_store_unpin (reloaded, "mail.example.org", 993, &error);
  g_assert_no_error (error);
  g_assert_false (kontor_trust_store_is_pinned (reloaded, "mail.example.org", 993, cert));
  emptied = kontor_trust_store_new (path);
  g_assert_false (kontor_trust_store_is_pinned (emptied, "mail.example.org", 993, cert));

  pem = kontor_certificate_dup_pem (cert);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE-----"));

  g_unlink (path);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (sub_dir);
  g_rmdir (dir);
}

static void
test_verification_variant (void)
{
  g_autoptr (KontorVerification) verification = kontor_verification_new ();
  g_autoptr (GError) auth = g_error_new (KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED, "no");
  g_autoptr (GError) first = NULL;
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GVariant) smtp = NULL;
  g_autoptr (GVariant) imap = NULL;
  g_auto (GStrv) services = NULL;
  const char *name = NULL;
  gboolean ok = TRUE;

  g_assert_true (kontor_verification_is_ok (verification));
  g_assert_null (kontor_verification_dup_first_error (verification));

  kontor_verification_set_ok (verification, KONTOR_SERVICE_WEBDAV);
  kontor_verification_set_error (verification, KONTOR_SERVICE_SMTP, auth);
  kontor_verification_set_ok (verification, KONTOR_SERVICE_IMAP);

  services = kontor_verification_dup_services (verification);
  g_assert_cmpstrv (services, ((const char *const[]){ "imap", "smtp", "webdav", NULL }));
  g_assert_false (kontor_verification_is_ok (verification));
  g_assert_false (kontor_verification_has_service (verification, KONTOR_SERVICE_CALDAV));
  g_assert_null (kontor_verification_get_error (verification, KONTOR_SERVICE_CALDAV));
  first = kontor_verification_dup_first_error (verification);
  g_assert_error (first, KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED);

  variant = g_variant_ref_sink (kontor_verification_to_variant (verification));
  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT));
  smtp = g_variant_lookup_value (variant, "smtp", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (smtp, "ok", "b", &ok));
  g_assert_false (ok);
  g_assert_true (g_variant_lookup (smtp, "error", "&s", &name));
  g_assert_cmpstr (name, ==, "io.github.kontor.Error.AuthFailed");
  imap = g_variant_lookup_value (variant, "imap", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (imap, "ok", "b", &ok));
  g_assert_true (ok);
  g_assert_false (g_variant_lookup (imap, "error", "&s", &name));
}

/* ------------------------------------------------------------------ IMAP */

static void
test_imap_starttls_pinned (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  guint16 port;

  if (!have_servers ())
    return;
  port = env_port ("KONTOR_TEST_IMAP_PORT");
  pin_ca (f, f->host, port);
  settings = imap_settings (f->host, port, KONTOR_SECURITY_STARTTLS, "test");
  verification = verify (f, settings, "secret");
  assert_ok (verification, KONTOR_SERVICE_IMAP);
  g_assert_true (kontor_verification_is_ok (verification));
}

static void
test_imaps_pinned (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  guint16 port;

  if (!have_servers ())
    return;
  port = env_port ("KONTOR_TEST_IMAPS_PORT");
  pin_ca (f, f->host, port);
  settings = imap_settings (f->host, port, KONTOR_SECURITY_TLS, "alice");
  verification = verify (f, settings, "secret");
  assert_ok (verification, KONTOR_SERVICE_IMAP);
}

/* The user's way: see the certificate, compare its fingerprint, pin it, try again. */
static void
test_imaps_untrusted_then_pinned (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (KontorVerification) again = NULL;
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GVariant) imap = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  GTlsCertificate *certificate;
  const char *text;
  guint16 port;

  if (!have_servers ())
    return;
  port = env_port ("KONTOR_TEST_IMAPS_PORT");
  settings = imap_settings (f->host, port, KONTOR_SECURITY_TLS, "test");
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, f->host);

  certificate = kontor_verification_get_certificate (verification, KONTOR_SERVICE_IMAP);
  g_assert_nonnull (certificate);
  g_assert_true (g_tls_certificate_is_same (certificate, f->ca));
  expected = openssl_sha256 (g_getenv ("KONTOR_TEST_CA_CERT"));
  sha256 = kontor_certificate_dup_sha256 (certificate);
  g_assert_cmpstr (sha256, ==, expected);
  g_assert_cmpstr (sha256, ==, g_getenv ("KONTOR_TEST_CA_CERT_SHA256"));
  subject = kontor_certificate_dup_subject (certificate);
  issuer = kontor_certificate_dup_issuer (certificate);
  g_assert_cmpstr (subject, ==, "CN=localhost");
  g_assert_cmpstr (issuer, ==, "CN=localhost");

  variant = g_variant_ref_sink (kontor_verification_to_variant (verification));
  imap = g_variant_lookup_value (variant, "imap", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (imap, "error", "&s", &text));
  g_assert_cmpstr (text, ==, "io.github.kontor.Error.CertificateUntrusted");
  g_assert_true (g_variant_lookup (imap, "certificate-sha256", "&s", &text));
  g_assert_cmpstr (text, ==, expected);
  g_assert_true (g_variant_lookup (imap, "certificate-subject", "&s", &text));
  g_assert_cmpstr (text, ==, "CN=localhost");
  g_assert_true (g_variant_lookup (imap, "certificate-issuer", "&s", &text));
  g_assert_cmpstr (text, ==, "CN=localhost");
  g_assert_true (g_variant_lookup (imap, "certificate-pem", "&s", &text));
  g_assert_true (g_str_has_prefix (text, "-----BEGIN CERTIFICATE-----"));

  kontor_trust_store_pin (f->trust, f->host, port, certificate, &error);
  g_assert_no_error (error);
  again = verify (f, settings, "secret");
  assert_ok (again, KONTOR_SERVICE_IMAP);
}

/* A pin is for one host and port: the same certificate elsewhere is not trusted. */
static void
test_imaps_pin_is_per_port (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) tls = NULL;
  g_autoptr (KontorAccountSettings) starttls = NULL;
  g_autoptr (KontorVerification) first = NULL;
  g_autoptr (KontorVerification) second = NULL;
  g_autoptr (KontorVerification) third = NULL;
  g_autoptr (GError) error = NULL;
  guint16 port;

  if (!have_servers ())
    return;
  port = env_port ("KONTOR_TEST_IMAPS_PORT");
  pin_ca (f, f->host, port);
  tls = imap_settings (f->host, port, KONTOR_SECURITY_TLS, "test");
  first = verify (f, tls, "secret");
  assert_ok (first, KONTOR_SERVICE_IMAP);

  /* Accepted on the IMAPS port a moment ago, but not pinned for the STARTTLS port. */
  starttls =
    imap_settings (f->host, env_port ("KONTOR_TEST_IMAP_PORT"), KONTOR_SECURITY_STARTTLS, "test");
  second = verify (f, starttls, "secret");
  assert_failed (second, KONTOR_SERVICE_IMAP, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, f->host);

  /* Unpinned: no longer trusted, although Camel saw it accepted before. */
  kontor_trust_store_unpin (f->trust, f->host, port, &error);
  g_assert_no_error (error);
  third = verify (f, tls, "secret");
  assert_failed (third, KONTOR_SERVICE_IMAP, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, f->host);
}

static void
test_imaps_wrong_host (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autofree char *sha256 = NULL;
  const char *host;
  guint16 port;

  if (!have_servers ())
    return;
  host = g_getenv ("KONTOR_TEST_IMAPS_WRONG_HOST_ADDR");
  port = env_port ("KONTOR_TEST_IMAPS_WRONG_HOST_PORT");
  /* The localhost certificate is pinned, here and there: the server shows another one. */
  pin_ca (f, f->host, env_port ("KONTOR_TEST_IMAPS_PORT"));
  pin_ca (f, host, port);
  settings = imap_settings (host, port, KONTOR_SECURITY_TLS, "test");
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, host);
  sha256 = kontor_certificate_dup_sha256 (
    kontor_verification_get_certificate (verification, KONTOR_SERVICE_IMAP));
  g_assert_cmpstr (sha256, ==, g_getenv ("KONTOR_TEST_OTHER_CERT_SHA256"));
}

static void
test_imap_wrong_password (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GError) error = NULL;
  double seconds;
  guint16 port;

  if (!have_servers ())
    return;
  port = env_port ("KONTOR_TEST_IMAP_PORT");
  pin_ca (f, f->host, port);
  settings = imap_settings (f->host, port, KONTOR_SECURITY_STARTTLS, "test");
  verification = verify_full (f, settings, "wrong", NULL, &error, &seconds);
  g_assert_no_error (error);
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_AUTH_FAILED, f->host);
  /* One attempt, no retry loop: well before the timeout. */
  g_test_message ("answered in %.2f s", seconds);
  g_assert_cmpfloat (seconds, <, TIMEOUT);
}

static void
test_imap_refused_login (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;

  if (!have_servers ())
    return;
  /* The fault proxy relays lines, so this one runs in plain text, to this computer. */
  settings = imap_settings (f->host, env_port ("KONTOR_TEST_FAULT_IMAP_REFUSE_LOGIN_PORT"),
                            KONTOR_SECURITY_NONE, "test");
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_AUTH_FAILED, f->host);
}

static void
test_imap_closed_port (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;

  if (!have_servers ())
    return;
  settings =
    imap_settings (f->host, env_port ("KONTOR_TEST_CLOSED_PORT"), KONTOR_SECURITY_TLS, "test");
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_CONNECTION_REFUSED, f->host);
}

static void
test_imap_unknown_host (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;

  settings = imap_settings ("nonexistent.invalid", 993, KONTOR_SECURITY_TLS, "test");
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_HOST_NOT_FOUND,
                 "nonexistent.invalid");
}

/* A server that accepts the connection and then says nothing, with either kind of TLS. */
static void
test_imap_tarpit (Fixture *f, gconstpointer data)
{
  const KontorSecurity securities[] = { KONTOR_SECURITY_TLS, KONTOR_SECURITY_STARTTLS };

  if (!have_servers ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (securities); i++)
    {
      g_autoptr (KontorAccountSettings) settings = NULL;
      g_autoptr (KontorVerification) verification = NULL;
      g_autoptr (GError) error = NULL;
      double seconds;

      settings =
        imap_settings (f->host, env_port ("KONTOR_TEST_FAULT_TARPIT_PORT"), securities[i], "test");
      verification = verify_full (f, settings, "secret", NULL, &error, &seconds);
      g_assert_no_error (error);
      assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_TIMEOUT, f->host);
      g_test_message ("gave up after %.2f s", seconds);
      g_assert_cmpfloat (seconds, >=, TIMEOUT - 0.5);
      g_assert_cmpfloat (seconds, <, TIMEOUT + 2);
    }
}

static char *
server_log_path (const char *name)
{
  return g_build_filename (g_getenv ("KONTOR_TEST_SERVERS_DIR"), "logs", name, NULL);
}

/* The size of a server's log once it stopped growing for a moment, so that what the
 * previous test's connections log late is not taken for this test's. */
static gsize
server_log_settle (const char *name)
{
  g_autofree char *path = server_log_path (name);
  gsize size = G_MAXSIZE;

  for (guint i = 0; i < 30; i++)
    {
      GStatBuf buf;
      gsize now = g_stat (path, &buf) == 0 ? (gsize) buf.st_size : 0;

      if (now == size)
        break;
      size = now;
      g_usleep (G_USEC_PER_SEC / 5);
    }
  return size;
}

/* What a server logged since OFFSET, once that contains MARKER and stopped growing. */
static char *
server_log_since (const char *name, gsize offset, const char *marker)
{
  g_autofree char *path = server_log_path (name);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL) && length > offset &&
          strstr (contents + offset, marker) != NULL)
        {
          g_clear_pointer (&contents, g_free);
          length = server_log_settle (name);
          g_file_get_contents (path, &contents, &length, NULL);
          return g_strdup (contents + offset);
        }
      g_usleep (G_USEC_PER_SEC / 50);
    }
  g_error ("%s logged no “%s”", name, marker);
}

/* A stripping attacker: the server seems not to offer STARTTLS. Fail, never log in. */
static void
test_imap_strip_starttls (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autofree char *log = NULL;
  gsize offset;

  if (!have_servers ())
    return;
  offset = server_log_settle ("dovecot.log");

  settings = imap_settings (f->host, env_port ("KONTOR_TEST_FAULT_IMAP_STRIP_STARTTLS_PORT"),
                            KONTOR_SECURITY_STARTTLS, "test");
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_TLS_REQUIRED, f->host);

  log = server_log_since ("dovecot.log", offset, "Disconnected");
  g_test_message ("Dovecot: %s", log);
  g_assert_nonnull (strstr (log, "no auth attempts"));
  g_assert_null (strstr (log, "user=<test>"));
  g_assert_null (strstr (log, "Login:"));
}

static void
test_imap_drop (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;

  if (!have_servers ())
    return;
  settings = imap_settings (f->host, env_port ("KONTOR_TEST_FAULT_IMAP_DROP_PORT"),
                            KONTOR_SECURITY_NONE, "test");
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_FAILED, f->host);
  g_assert_nonnull (strstr (kontor_verification_get_error (verification, "imap")->message,
                            "closed the connection"));
}

/* Plain text to another computer fails before any connection is tried. */
static void
test_imap_plain_text_remote (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GError) error = NULL;
  double seconds;

  /* A name that cannot resolve: had it been tried, the error would be HostNotFound. */
  settings = imap_settings ("imap.nonexistent.invalid", 143, KONTOR_SECURITY_NONE, "test");
  verification = verify_full (f, settings, "secret", NULL, &error, &seconds);
  g_assert_no_error (error);
  assert_failed (verification, KONTOR_SERVICE_IMAP, KONTOR_ERROR_TLS_REQUIRED,
                 "imap.nonexistent.invalid");
  g_assert_cmpfloat (seconds, <, 0.5);
}

/* ------------------------------------------------------------------ SMTP */

static void
test_smtp (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (KontorVerification) wrong = NULL;
  g_autoptr (GError) error = NULL;
  double seconds;
  guint16 port;

  if (!have_servers ())
    return;
  port = env_port ("KONTOR_TEST_SMTP_PORT");
  pin_ca (f, f->host, port);
  settings = smtp_settings (f->host, port, KONTOR_SECURITY_STARTTLS);
  verification = verify (f, settings, "secret");
  assert_ok (verification, KONTOR_SERVICE_SMTP);

  wrong = verify_full (f, settings, "wrong", NULL, &error, &seconds);
  g_assert_no_error (error);
  assert_failed (wrong, KONTOR_SERVICE_SMTP, KONTOR_ERROR_AUTH_FAILED, f->host);
  g_assert_cmpfloat (seconds, <, TIMEOUT);
}

static void
test_smtps (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (KontorVerification) untrusted = NULL;
  guint16 port;

  if (!have_servers ())
    return;
  port = env_port ("KONTOR_TEST_SMTPS_PORT");
  settings = smtp_settings (f->host, port, KONTOR_SECURITY_TLS);
  untrusted = verify (f, settings, "secret");
  assert_failed (untrusted, KONTOR_SERVICE_SMTP, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, f->host);
  g_assert_true (g_tls_certificate_is_same (
    kontor_verification_get_certificate (untrusted, KONTOR_SERVICE_SMTP), f->ca));

  pin_ca (f, f->host, port);
  verification = verify (f, settings, "secret");
  assert_ok (verification, KONTOR_SERVICE_SMTP);
}

static void
test_smtp_strip_starttls (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autofree char *log = NULL;
  gsize offset;

  if (!have_servers ())
    return;
  offset = server_log_settle ("smtp-sink.log");
  settings = smtp_settings (f->host, env_port ("KONTOR_TEST_FAULT_SMTP_STRIP_STARTTLS_PORT"),
                            KONTOR_SECURITY_STARTTLS);
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_SMTP, KONTOR_ERROR_TLS_REQUIRED, f->host);

  /* The sink saw the greeting and EHLO and nothing more: no AUTH, no MAIL. */
  log = server_log_since ("smtp-sink.log", offset, "EHLO");
  g_test_message ("SMTP sink: %s", log);
  g_assert_null (strstr (log, ">> b'AUTH"));
  g_assert_null (strstr (log, ">> b'MAIL"));
}

/* ------------------------------------------------------------------ DAV */

static KontorAccountSettings *
dav_settings (const char *caldav, const char *carddav, const char *webdav)
{
  g_autofree char *email = g_strdup_printf ("test@%s", g_getenv ("KONTOR_TEST_MAIL_DOMAIN"));
  KontorAccountSettings *settings = kontor_account_settings_new (email);

  settings->username = g_strdup ("test");
  settings->caldav_url = g_strdup (caldav);
  settings->carddav_url = g_strdup (carddav);
  settings->webdav_url = g_strdup (webdav);
  return settings;
}

static void
test_dav (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (KontorVerification) wrong = NULL;

  if (!have_servers ())
    return;
  settings =
    dav_settings (g_getenv ("KONTOR_TEST_CALDAV_URL"), g_getenv ("KONTOR_TEST_CARDDAV_URL"),
                  g_getenv ("KONTOR_TEST_WEBDAV_URL"));
  verification = verify (f, settings, "secret");
  assert_ok (verification, KONTOR_SERVICE_CALDAV);
  assert_ok (verification, KONTOR_SERVICE_CARDDAV);
  assert_ok (verification, KONTOR_SERVICE_WEBDAV);
  g_assert_false (kontor_verification_has_service (verification, KONTOR_SERVICE_IMAP));
  g_assert_true (kontor_verification_is_ok (verification));

  wrong = verify (f, settings, "wrong");
  assert_failed (wrong, KONTOR_SERVICE_CALDAV, KONTOR_ERROR_AUTH_FAILED, f->host);
  assert_failed (wrong, KONTOR_SERVICE_CARDDAV, KONTOR_ERROR_AUTH_FAILED, f->host);
  assert_failed (wrong, KONTOR_SERVICE_WEBDAV, KONTOR_ERROR_AUTH_FAILED, f->host);
}

static void
test_dav_wrong_path (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autofree char *caldav = NULL;
  g_autofree char *carddav = NULL;
  g_autofree char *webdav = NULL;

  if (!have_servers ())
    return;
  caldav = g_strconcat (g_getenv ("KONTOR_TEST_DAV_BASE"), "test/no-such-calendar/", NULL);
  carddav = g_strconcat (g_getenv ("KONTOR_TEST_DAV_BASE"), "test/no-such-book/", NULL);
  webdav = g_strconcat (g_getenv ("KONTOR_TEST_WEBDAV_URL"), "no/such/folder/", NULL);
  settings = dav_settings (caldav, carddav, webdav);
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_CALDAV, KONTOR_ERROR_NOT_FOUND, caldav);
  assert_failed (verification, KONTOR_SERVICE_CARDDAV, KONTOR_ERROR_NOT_FOUND, carddav);
  assert_failed (verification, KONTOR_SERVICE_WEBDAV, KONTOR_ERROR_NOT_FOUND, webdav);
}

/* A CardDAV URL given as the calendar, and the other way round, is also found out. */
static void
test_dav_wrong_service (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;

  if (!have_servers ())
    return;
  settings = dav_settings (g_getenv ("KONTOR_TEST_WEBDAV_URL"), NULL, NULL);
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_CALDAV, KONTOR_ERROR_NOT_FOUND,
                 g_getenv ("KONTOR_TEST_WEBDAV_URL"));
}

static void
test_dav_drop (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autofree char *url = NULL;
  const GError *error;

  if (!have_servers ())
    return;
  url = g_strdup_printf ("http://%s:%u/remote.php/dav/files/test/", f->host,
                         env_port ("KONTOR_TEST_FAULT_HTTP_DROP_PORT"));
  settings = dav_settings (NULL, NULL, url);
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_WEBDAV, KONTOR_ERROR_FAILED, f->host);
  error = kontor_verification_get_error (verification, KONTOR_SERVICE_WEBDAV);
  g_assert_nonnull (strstr (error->message, "closed the connection"));
}

static void
test_dav_tarpit (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  double seconds;

  if (!have_servers ())
    return;
  url = g_strdup_printf ("http://%s:%u/dav/", f->host, env_port ("KONTOR_TEST_FAULT_TARPIT_PORT"));
  settings = dav_settings (url, NULL, url);
  verification = verify_full (f, settings, "secret", NULL, &error, &seconds);
  g_assert_no_error (error);
  assert_failed (verification, KONTOR_SERVICE_CALDAV, KONTOR_ERROR_TIMEOUT, url);
  assert_failed (verification, KONTOR_SERVICE_WEBDAV, KONTOR_ERROR_TIMEOUT, url);
  g_assert_cmpfloat (seconds, <, TIMEOUT + 2);
}

static void
test_dav_closed_port (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autofree char *url = NULL;

  if (!have_servers ())
    return;
  url = g_strdup_printf ("http://%s:%u/dav/", f->host, env_port ("KONTOR_TEST_CLOSED_PORT"));
  settings = dav_settings (url, NULL, NULL);
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_CALDAV, KONTOR_ERROR_CONNECTION_REFUSED, f->host);
}

/* A WebDAV server over https with the harness's certificate: the harness serves DAV in
 * plain http only. Just enough of one to answer PROPFIND and OPTIONS. */
static gboolean
https_run_cb (GThreadedSocketService *service,
              GSocketConnection *connection,
              GObject *source_object,
              gpointer user_data)
{
  GTlsCertificate *certificate = user_data;
  static const char body[] =
    "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>/dav/</d:href>"
    "<d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop>"
    "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autoptr (GString) reply = g_string_new (NULL);
  g_autofree char *request = NULL;
  guint64 length = 0;
  char *line;

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), certificate, NULL);
  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    return TRUE; /* the client refused the certificate */

  in = g_data_input_stream_new (g_io_stream_get_input_stream (tls));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  request = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL)
    {
      gboolean end = *g_strstrip (line) == '\0';

      if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (line + 15, NULL, 10);
      g_free (line);
      if (end)
        break;
    }
  if (length > 0)
    g_input_stream_skip (G_INPUT_STREAM (in), length, NULL, NULL);

  if (request != NULL && g_str_has_prefix (request, "PROPFIND "))
    g_string_printf (reply,
                     "HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     strlen (body), body);
  else
    g_string_assign (reply, "HTTP/1.1 200 OK\r\nDAV: 1, 2, calendar-access\r\n"
                            "Allow: OPTIONS, PROPFIND\r\nContent-Length: 0\r\n"
                            "Connection: close\r\n\r\n");
  g_output_stream_write_all (g_io_stream_get_output_stream (tls), reply->str, reply->len, NULL,
                             NULL, NULL);
  g_io_stream_close (tls, NULL, NULL);
  return TRUE;
}

static void
test_dav_https (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) untrusted = NULL;
  g_autoptr (KontorVerification) elsewhere = NULL;
  g_autoptr (KontorVerification) pinned = NULL;
  g_autoptr (GSocketService) service = NULL;
  g_autoptr (GTlsCertificate) server_certificate = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;
  g_autofree char *sha256 = NULL;
  guint16 port;

  if (!have_servers ())
    return;
  dir = g_path_get_dirname (g_getenv ("KONTOR_TEST_CA_CERT"));
  key = g_build_filename (dir, "key.pem", NULL);
  server_certificate =
    g_tls_certificate_new_from_files (g_getenv ("KONTOR_TEST_CA_CERT"), key, &error);
  g_assert_no_error (error);

  service = g_threaded_socket_service_new (4);
  g_signal_connect (service, "run", G_CALLBACK (https_run_cb), server_certificate);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_socket_service_start (service);
  url = g_strdup_printf ("https://%s:%u/dav/", f->host, port);
  settings = dav_settings (url, NULL, url);

  untrusted = verify (f, settings, "secret");
  assert_failed (untrusted, KONTOR_SERVICE_CALDAV, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, f->host);
  assert_failed (untrusted, KONTOR_SERVICE_WEBDAV, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, f->host);
  sha256 = kontor_certificate_dup_sha256 (
    kontor_verification_get_certificate (untrusted, KONTOR_SERVICE_WEBDAV));
  g_assert_cmpstr (sha256, ==, g_getenv ("KONTOR_TEST_CA_CERT_SHA256"));

  /* Pinned for another port of the same host: not for this one. */
  pin_ca (f, f->host, port + 1);
  elsewhere = verify (f, settings, "secret");
  assert_failed (elsewhere, KONTOR_SERVICE_WEBDAV, KONTOR_ERROR_CERTIFICATE_UNTRUSTED, f->host);

  pin_ca (f, f->host, port);
  pinned = verify (f, settings, "secret");
  assert_ok (pinned, KONTOR_SERVICE_CALDAV);
  assert_ok (pinned, KONTOR_SERVICE_WEBDAV);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_dav_plain_text_remote (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;

  settings = dav_settings ("http://dav.nonexistent.invalid/calendars/", NULL, NULL);
  verification = verify (f, settings, "secret");
  assert_failed (verification, KONTOR_SERVICE_CALDAV, KONTOR_ERROR_TLS_REQUIRED,
                 "dav.nonexistent.invalid");
}

/* ------------------------------------------------------------------ whole accounts */

/* Everything at once, in parallel, each failure on its own service. */
static void
test_account (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (KontorVerification) mixed = NULL;
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GError) first = NULL;
  g_autofree char *missing = NULL;
  GVariantIter iter;
  const char *service;
  GVariant *value;
  guint n = 0;

  if (!have_servers ())
    return;
  settings =
    imap_settings (f->host, env_port ("KONTOR_TEST_IMAPS_PORT"), KONTOR_SECURITY_TLS, "test");
  settings->smtp_host = g_strdup (f->host);
  settings->smtp_port = env_port ("KONTOR_TEST_SMTP_PORT");
  settings->smtp_security = KONTOR_SECURITY_STARTTLS;
  settings->caldav_url = g_strdup (g_getenv ("KONTOR_TEST_CALDAV_URL"));
  settings->carddav_url = g_strdup (g_getenv ("KONTOR_TEST_CARDDAV_URL"));
  settings->webdav_url = g_strdup (g_getenv ("KONTOR_TEST_WEBDAV_URL"));
  pin_ca (f, f->host, settings->imap_port);
  pin_ca (f, f->host, settings->smtp_port);

  verification = verify (f, settings, "secret");
  g_assert_true (kontor_verification_is_ok (verification));
  g_assert_null (kontor_verification_dup_first_error (verification));
  for (guint i = 0; i < 5; i++)
    assert_ok (verification,
               ((const char *[]){ "imap", "smtp", "caldav", "carddav", "webdav" })[i]);

  /* SMTP refused, the address book missing, the rest fine. */
  missing = g_strconcat (g_getenv ("KONTOR_TEST_DAV_BASE"), "test/missing/", NULL);
  g_free (settings->carddav_url);
  settings->carddav_url = g_strdup (missing);
  g_free (settings->smtp_host);
  settings->smtp_host = g_strdup ("nonexistent.invalid");
  mixed = verify (f, settings, "secret");
  assert_ok (mixed, KONTOR_SERVICE_IMAP);
  assert_failed (mixed, KONTOR_SERVICE_SMTP, KONTOR_ERROR_HOST_NOT_FOUND, "nonexistent.invalid");
  assert_ok (mixed, KONTOR_SERVICE_CALDAV);
  assert_failed (mixed, KONTOR_SERVICE_CARDDAV, KONTOR_ERROR_NOT_FOUND, missing);
  assert_ok (mixed, KONTOR_SERVICE_WEBDAV);
  first = kontor_verification_dup_first_error (mixed);
  g_assert_error (first, KONTOR_ERROR, KONTOR_ERROR_HOST_NOT_FOUND);

  variant = g_variant_ref_sink (kontor_verification_to_variant (mixed));
  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_loop (&iter, "{&sv}", &service, &value))
    {
      gboolean ok = FALSE;
      const char *name = NULL;
      const char *message = NULL;

      n++;
      g_assert_true (g_variant_lookup (value, "ok", "b", &ok));
      if (g_str_equal (service, "smtp") || g_str_equal (service, "carddav"))
        {
          g_assert_false (ok);
          g_assert_true (g_variant_lookup (value, "error", "&s", &name));
          g_assert_true (g_variant_lookup (value, "message", "&s", &message));
          g_assert_cmpstr (name, ==,
                           g_str_equal (service, "smtp") ? "io.github.kontor.Error.HostNotFound"
                                                         : "io.github.kontor.Error.NotFound");
        }
      else
        {
          g_assert_true (ok);
          g_assert_false (g_variant_lookup (value, "error", "&s", &name));
        }
    }
  g_assert_cmpuint (n, ==, 5);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  double seconds;

  if (!have_servers ())
    return;
  settings = imap_settings (f->host, env_port ("KONTOR_TEST_FAULT_TARPIT_PORT"),
                            KONTOR_SECURITY_TLS, "test");
  g_timeout_add (200, cancel_cb, cancellable);
  verification = verify_full (f, settings, "secret", cancellable, &error, &seconds);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (verification);
  g_assert_cmpfloat (seconds, <, 1);
}

static void
test_nothing_to_verify (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorAccountSettings) settings = kontor_account_settings_new ("test@example.org");
  g_autoptr (KontorVerification) verification = verify (f, settings, "secret");
  g_auto (GStrv) services = kontor_verification_dup_services (verification);

  g_assert_cmpstrv (services, ((const char *const[]){ NULL }));
  g_assert_true (kontor_verification_is_ok (verification));
}

#define ADD(path, func) \
  g_test_add ("/kontor/verifier/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kontor/verifier/trust-store", test_trust_store);
  g_test_add_func ("/kontor/verifier/verification-variant", test_verification_variant);
  ADD ("nothing-to-verify", test_nothing_to_verify);
  ADD ("imap/starttls-pinned", test_imap_starttls_pinned);
  ADD ("imap/imaps-pinned", test_imaps_pinned);
  ADD ("imap/untrusted-then-pinned", test_imaps_untrusted_then_pinned);
  ADD ("imap/pin-is-per-port", test_imaps_pin_is_per_port);
  ADD ("imap/wrong-host-certificate", test_imaps_wrong_host);
  ADD ("imap/wrong-password", test_imap_wrong_password);
  ADD ("imap/refused-login", test_imap_refused_login);
  ADD ("imap/closed-port", test_imap_closed_port);
  ADD ("imap/unknown-host", test_imap_unknown_host);
  ADD ("imap/timeout", test_imap_tarpit);
  ADD ("imap/strip-starttls", test_imap_strip_starttls);
  ADD ("imap/dropped", test_imap_drop);
  ADD ("imap/plain-text-remote", test_imap_plain_text_remote);
  ADD ("smtp/starttls", test_smtp);
  ADD ("smtp/smtps", test_smtps);
  ADD ("smtp/strip-starttls", test_smtp_strip_starttls);
  ADD ("dav/ok-and-wrong-password", test_dav);
  ADD ("dav/wrong-path", test_dav_wrong_path);
  ADD ("dav/wrong-service", test_dav_wrong_service);
  ADD ("dav/dropped", test_dav_drop);
  ADD ("dav/closed-port", test_dav_closed_port);
  ADD ("dav/timeout", test_dav_tarpit);
  ADD ("dav/plain-text-remote", test_dav_plain_text_remote);
  ADD ("dav/https-certificate", test_dav_https);
  ADD ("account", test_account);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/kontor/verifier/finally/everything-finalized", test_everything_finalized);

  return g_test_run ();
}
